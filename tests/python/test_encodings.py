"""Bytes in GB18030 and UTF-16 (with a BOM) give the records of the same
text in UTF-8, apart from the encoding field, and the records the CLI
gives for the same bytes."""
import pytest

from conftest import doc_files, run_cli

# the field that describes the input bytes, not the text
BYTE_FIELDS = ("encoding",)


def without(records, fields):
    return [{k: v for k, v in r.items() if k not in fields} for r in records]


@pytest.mark.parametrize("codec,label", [("gb18030", "gb18030"), ("utf-16", "utf-16")])
def test_encoded_bytes(model, tmp_path, codec, label):
    path = doc_files()[0]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    data = text.encode(codec)
    if codec == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")  # Python writes a BOM
    got = model.extract(data, name=path)
    utf8 = model.extract(text, name=path)
    assert label in got[0]["encoding"].lower().replace("_", "-")
    assert utf8[0]["encoding"] == "utf-8"
    assert without(got, BYTE_FIELDS) == without(utf8, BYTE_FIELDS)
    assert len(got) > 1

    enc = tmp_path / "doc.txt"
    enc.write_bytes(data)
    cli = run_cli(str(enc))
    assert model.extract(data, name=str(enc)) == cli
