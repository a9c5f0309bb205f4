from chinhquyenso.system_check import REQUIRED, advice, missing_libraries


def test_all_present_when_finder_finds_everything():
    assert missing_libraries(lambda name: f"lib{name}.so") == []


def test_missing_pango_names_library_and_install_command():
    missing = missing_libraries(lambda name: None if name.startswith("pango") else "x.so")
    assert [m[0] for m in missing] == ["pango-1.0", "pangoft2-1.0"]
    text = advice(missing)
    assert "pango-1.0" in text
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in text


def test_every_required_library_has_packages():
    for name, debian, fedora in REQUIRED:
        assert name and debian and fedora
