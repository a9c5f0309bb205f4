"""General Vietnamese survey vocabulary the draft reads answers and headers with.

Nothing here comes from one questionnaire: these are the words any Vietnamese form uses for
yes and no, for intensity, for item non-response, and for the profile questions. Lower case,
with diacritics; they are compared after folding (``draft.text.ascii_fold``).
"""

from __future__ import annotations

# First word(s) of a "yes" or a "no" answer ("có tham gia", "không tham gia", "đã", "chưa").
YES_WORDS = ("có", "đã", "rồi", "yes", "đồng ý", "đúng")
NO_WORDS = ("không", "chưa", "no", "sai")

# Ordered intensity scales, lowest first. A column whose answers are all words of one list is
# an ordered scale in that order; `mid` is the neutral word (the summary band starts there).
ORDINAL_LEXICON = (
    {"levels": ("rất thấp", "thấp", "trung bình", "cao", "rất cao"), "mid": "trung bình"},
    {"levels": ("rất ít", "ít", "vừa phải", "nhiều", "rất nhiều"), "mid": "vừa phải"},
    {"levels": ("rất kém", "kém", "trung bình", "tốt", "rất tốt"), "mid": "trung bình"},
    {"levels": ("rất yếu", "yếu", "trung bình", "khá", "tốt"), "mid": "trung bình"},
    {"levels": ("rất không hài lòng", "không hài lòng", "bình thường", "hài lòng", "rất hài lòng"),
     "mid": "bình thường"},
    {"levels": ("hoàn toàn không đồng ý", "không đồng ý", "phân vân", "đồng ý", "hoàn toàn đồng ý"),
     "mid": "phân vân"},
    {"levels": ("không bao giờ", "hiếm khi", "thỉnh thoảng", "thường xuyên", "rất thường xuyên"),
     "mid": "thỉnh thoảng"},
    {"levels": ("không quan trọng", "ít quan trọng", "quan trọng", "rất quan trọng"), "mid": "quan trọng"},
)  # fmt: skip

# Item non-response: class id -> its reader-facing label and the spellings recognised.
MISSING_CLASSES = {
    "khong_biet": ("Không biết", ("không biết", "không rõ", "khó trả lời", "không nhớ", "kb")),
    "tu_choi": ("Từ chối trả lời", ("từ chối trả lời", "từ chối", "không trả lời", "không muốn trả lời")),
    "khong_ap_dung": ("Không áp dụng", ("không áp dụng", "không liên quan", "n/a", "na")),
}  # fmt: skip

# Profile questions by the words of their header (role -> words); the answers confirm them.
ROLE_WORDS = {
    "submitted_at": ("dấu thời gian", "thời gian gửi", "thời điểm nộp", "timestamp", "ngày gửi"),
    "id": ("mã phiếu", "số phiếu", "mã số", "id", "stt phiếu"),
    "province": ("tỉnh", "thành phố", "tỉnh thành"),
    "admin_level": ("cấp", "cấp hành chính", "cấp chính quyền"),
    "gender": ("giới tính", "giới"),
    "age": ("tuổi",),
    "tenure": ("thâm niên", "số năm công tác", "năm công tác", "số năm làm việc"),
}
GENDER_WORDS = ("nam", "nữ", "khác")
LEVEL_WORDS = ("xã", "phường", "huyện", "quận", "tỉnh", "thành phố", "trung ương", "cơ sở", "đặc khu")

# Headers of direct personal identifiers (their values are never printed anywhere).
IDENTIFIER_WORDS = (
    "họ tên", "họ và tên", "tên người trả lời", "email", "e mail", "thư điện tử", "số điện thoại",
    "điện thoại", "sđt", "cccd", "cmnd", "căn cước", "chứng minh nhân dân", "chữ ký", "ký tên",
    "địa chỉ nhà", "số định danh",
)  # fmt: skip
