import onrecord


def test_all_is_sorted_and_exported():
    assert onrecord.__all__ == sorted(onrecord.__all__)
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name


def test_core_does_not_import_extras():
    import subprocess
    import sys

    # not 'torch' itself: spaCy's thinc imports torch whenever it is installed (the transformer extra)
    code = ("import sys, onrecord; print(sorted(m for m in sys.modules if m.startswith(("
            "'onrecord.server', 'onrecord.store', 'onrecord.eval', 'fastapi', 'sqlalchemy', "
            "'onrecord.attribute.transformer'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
