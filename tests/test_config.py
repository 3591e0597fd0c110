import pytest

from onrecord import ConfigError, OnRecordError, Settings


def test_defaults_are_valid():
    settings = Settings()
    assert settings.attributor == "auto" and settings.max_bytes == 10_000_000


@pytest.mark.parametrize("kwargs, message", [
    ({"attributor": "magic"}, "unknown attributor 'magic': use one of auto, fast, transformer, model, rules"),
    ({"max_bytes": 0}, "max_bytes must be an integer of at least 1, not 0"),
    ({"max_bytes": -5}, "max_bytes must be an integer of at least 1, not -5"),
    ({"max_bytes": 1.5}, "max_bytes must be an integer of at least 1, not 1.5"),
    ({"max_bytes": "10MB"}, "max_bytes must be an integer of at least 1, not '10MB'"),
    ({"batch_size": 0}, "batch_size must be an integer of at least 1, not 0"),
    ({"batch_size": True}, "batch_size must be an integer of at least 1, not True"),
    ({"segment_chars": 10}, "segment_chars must be an integer of at least 1,000, not 10"),
    ({"model": ""}, "model must be the name of an installed spaCy model, not ''"),
    ({"model": None}, "model must be the name of an installed spaCy model, not None"),
])
def test_invalid_settings_raise_config_error(kwargs, message):
    with pytest.raises(ConfigError) as info:
        Settings(**kwargs)
    assert str(info.value) == message and isinstance(info.value, OnRecordError)


def test_every_valid_attributor_is_accepted():
    assert [Settings(attributor=a).attributor for a in ("auto", "rules", "model")] == ["auto", "rules", "model"]


def test_every_error_class_of_the_library_derives_from_onrecord_error():
    import importlib
    import inspect
    import pkgutil

    import onrecord

    found = {}
    for info in pkgutil.walk_packages(onrecord.__path__, "onrecord."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an extra that is not installed
            continue
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    assert {"onrecord.errors.ConfigError", "onrecord.eval.corpus.CorpusError"} <= set(found)
    assert [name for name, cls in found.items() if not issubclass(cls, OnRecordError)] == []
