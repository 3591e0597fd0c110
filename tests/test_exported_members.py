import onrecord


def test_all_is_sorted_and_exported():
    assert onrecord.__all__ == sorted(onrecord.__all__)
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name


def test_core_does_not_import_extras():
    import subprocess
    import sys

    # spaCy's thinc imports torch by itself where it is installed: only what onrecord adds counts
    code = ("import sys, spacy; before = set(sys.modules); import onrecord; print(sorted(m for m in sys.modules "
            "if m not in before and m.startswith(('onrecord.server', 'onrecord.store', 'onrecord.eval', "
            "'onrecord.attribute.transformer', 'fastapi', 'sqlalchemy', 'torch', 'pyspark'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
