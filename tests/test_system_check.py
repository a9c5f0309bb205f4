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


def test_pdf_libraries_name_what_subsets_the_fonts(monkeypatch):
    from chinhquyenso import system_check

    found = system_check.pdf_libraries()
    assert found["pango"] and found["harfbuzz"] and found["fontconfig"]  # WeasyPrint runs here
    expected = "HarfBuzz-subset" if found["harfbuzz_subset"] else "fontTools"
    assert found["font_subsetter"].startswith(expected)
    real = system_check._load
    monkeypatch.setattr(system_check, "_load", lambda name: None if name == "harfbuzz-subset" else real(name))
    without = system_check.pdf_libraries()
    assert without["harfbuzz_subset"] is None and without["font_subsetter"].startswith("fontTools ")


def test_missing_harfbuzz_subset_is_a_recommendation_not_a_failure(monkeypatch, capsys):
    from chinhquyenso import system_check

    real = system_check._load
    monkeypatch.setattr(system_check, "missing_libraries", lambda: [])
    monkeypatch.setattr(system_check, "_load", lambda name: None if name == "harfbuzz-subset" else real(name))
    assert system_check.main() == 0
    err = capsys.readouterr().err
    assert "Khuyến nghị" in err and "sudo apt-get install libharfbuzz-subset0" in err and "conda" in err
