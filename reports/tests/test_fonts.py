from reports import fonts


def test_document_characters_cover_the_reference():
    points = set(fonts.document_codepoints())
    sample = "安化县人大常委会办公室≥≤＝％（一）“三公”经费—1304.57万元，减少1.64%。"
    assert {ord(c) for c in sample} <= points
    assert 6763 < len(points) < 12000


def test_font_face_rules_name_only_built_faces():
    css = fonts.font_face_css()
    built = fonts.report_fonts()
    assert css.count("@font-face") == len(built)
    for key in built:
        assert f'url("{fonts.URL_SCHEME}{key}")' in css
