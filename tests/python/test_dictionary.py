"""Dictionaries that cannot be loaded raise, saying where."""
import os
import shutil

import pytest

import zhmetrics


def test_broken_user_dictionary(tmp_path):
    ud = tmp_path / "ud"
    ud.mkdir()
    (ud / "cues.tsv").write_text("# comment\n\n设想\n", encoding="utf-8")
    with pytest.raises(zhmetrics.DictionaryError) as ei:
        zhmetrics.Model(user_dict=ud)
    e = ei.value
    assert e.file.endswith("cues.tsv")
    assert e.line == 3
    assert "cues.tsv:3" in str(e)


def test_broken_lexicon_line(tmp_path):
    lex = tmp_path / "badlex.txt"
    lex.write_text("教育 100 n\n扶贫 lots n\n", encoding="utf-8")
    with pytest.raises(zhmetrics.DictionaryError) as ei:
        zhmetrics.Model(lexicon=str(lex))
    assert ei.value.file.endswith("badlex.txt") and ei.value.line == 2


def test_user_dictionary_is_used(tmp_path, model):
    ud = tmp_path / "ud"
    ud.mkdir()
    (ud / "units.tsv").write_text("斤\tmeasure\t斤\t-\n", encoding="utf-8")
    m = zhmetrics.Model(user_dict=str(ud))
    assert m.lexicon_size >= model.lexicon_size


def test_missing_directory(tmp_path):
    with pytest.raises((OSError, zhmetrics.DictionaryError)) as ei:
        zhmetrics.Model(data_dir=tmp_path / "no-such-dir")
    assert "no-such-dir" in str(ei.value)


def test_missing_lexicon(tmp_path):
    with pytest.raises(FileNotFoundError):
        zhmetrics.Model(lexicon=tmp_path / "none.txt")


def test_bad_argument_types():
    with pytest.raises(ValueError):
        zhmetrics.Model(data_dir=12)


def test_unreadable_data_file_is_os_error(tmp_path):
    # a dictionary directory without one of its files: the library's errno
    # comes back as the matching OSError subclass, naming the file
    dd = tmp_path / "dd"
    dd.mkdir()
    for f in os.listdir("dict"):
        shutil.copy(os.path.join("dict", f), dd / f)
    os.remove(dd / "numerals.tsv")
    with pytest.raises(OSError) as ei:
        zhmetrics.Model(data_dir=str(dd))
    assert isinstance(ei.value, FileNotFoundError)
    assert ei.value.filename.endswith("numerals.tsv")
