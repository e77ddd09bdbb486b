"""The Cleaner API against the CLI on the same texts."""

import json
import pickle
import threading

import pytest

import sapu
from conftest import corpus_texts, run_cli

RULE = """\
[[rule]]
id = "test.promo"
kind = "line"
description = "A test promo line."
prefix = ["Langganan sekarang"]
examples.drop = ["Langganan sekarang dan hemat"]
examples.keep = ["Kami langganan koran sejak lama dan tidak pernah berhenti membaca."]
"""

PAGE = (
    "Judul Berita Penting Hari Ini\n\n"
    "Langganan sekarang dan hemat 50 persen\n\n"
    "Pemerintah mengumumkan kebijakan baru pada hari Senin yang akan berlaku mulai bulan depan.\n\n"
    "Baca Juga: Berita lain yang tidak berhubungan sama sekali\n\n"
    "Menurut juru bicara, kebijakan ini telah dibahas bersama para pemangku kepentingan selama setahun.\n"
)


@pytest.fixture(scope="module")
def cleaner():
    return sapu.Cleaner()


def test_clean_equals_cli_jsonl(cleaner, cli_clean):
    texts = dict(corpus_texts())
    assert len(cli_clean["records"]) == len(texts) > 30
    changed = 0
    for record in cli_clean["records"]:
        ours = cleaner.clean(texts[record["id"]])
        assert ours == record["text"], record["id"]
        changed += ours != texts[record["id"]]
    # The corpus has boilerplate: most documents change.
    assert changed > len(texts) // 2


def test_clean_batch_equals_clean_for_any_threads(cleaner):
    texts = [t for _, t in corpus_texts()] * 3
    one_by_one = [cleaner.clean(t) for t in texts]
    assert cleaner.clean_batch(texts) == one_by_one
    assert cleaner.clean_batch(texts, threads=1) == one_by_one
    assert cleaner.clean_batch(texts, threads=2) == one_by_one
    assert cleaner.clean_batch(texts, threads=3) == one_by_one
    assert cleaner.clean_batch([]) == []


def test_explain_equals_cli_explain(cleaner, cli_clean):
    texts = dict(corpus_texts())
    name = cli_clean["input_name"]
    total = 0
    for doc_id, text in texts.items():
        doc = f"{name}:{doc_id}"
        ours = cleaner.explain(text, doc=doc)
        assert ours == cli_clean["explain"].get(doc, []), doc_id
        total += len(ours)
        # Without doc, the same records without the doc field.
        bare = cleaner.explain(text)
        assert bare == [{k: v for k, v in r.items() if k != "doc"} for r in ours]
    assert total > 100


def test_explain_names_line_rule_and_text(cleaner):
    records = cleaner.explain(PAGE)
    dropped = [r for r in records if r["action"] == "drop"]
    assert {"line": 7, "rule": "promo.baca-juga"}.items() <= dropped[0].items()
    assert dropped[0]["text"] == "Baca Juga: Berita lain yang tidak berhubungan sama sekali"
    assert dropped[0]["applied"] is True


def test_annotate_equals_cli_annotate(cleaner, cli_clean):
    texts = dict(corpus_texts())
    ids = [r["id"] for r in cli_clean["records"]]
    batch = cleaner.annotate_batch([texts[i] for i in ids], threads=2)
    for record, (text, note) in zip(cli_clean["records"], batch):
        assert (text, note) == (record["text"], record["sapu"]), record["id"]
        assert cleaner.annotate(texts[record["id"]]) == (text, note)


def test_clean_jsonl_equals_cli_bytes(cleaner, sapu_bin, corpus_jsonl):
    lines = corpus_jsonl.read_text(encoding="utf-8").splitlines()
    for flags, annotate in [((), False), (("--annotate",), True)]:
        done = run_cli(sapu_bin, "clean", "--format", "jsonl", "-q", *flags, str(corpus_jsonl))
        assert done.returncode == 0, done.stderr.decode()
        expected = done.stdout.decode().splitlines()
        for threads in (1, 2, None):
            assert cleaner.clean_jsonl(lines, annotate=annotate, threads=threads) == expected


def test_clean_jsonl_bad_lines_fields_and_blanks(cleaner):
    good = '{"doc":"a","body":"Baca Juga: x\\n\\nIsi berita yang panjang dan lengkap sekali hari ini.","n":1.50}'
    clean = '{"doc":"a","body":"Isi berita yang panjang dan lengkap sekali hari ini.","n":1.50}'
    assert cleaner.clean_jsonl([good], text_field="body", id_field="doc") == [clean]
    blank = '{"id":"b","text":"  "}'
    bad = ['{"id":"c","text":7}', "not json", '{"id":"d"}']
    assert cleaner.clean_jsonl([None, "", blank, *bad], on_error="keep") == [None, "", blank, *bad]
    with pytest.raises(ValueError, match=r"line 1 of the batch: \"text\" is a number, not a string"):
        cleaner.clean_jsonl([blank, bad[0]], on_error="raise")
    with pytest.raises(ValueError, match="on_error"):
        cleaner.clean_jsonl([good], on_error="drop")


def test_clean_jsonl_keeps_a_byte_order_mark_before_the_first_line_as_the_cli_does(cleaner, sapu_bin, tmp_path):
    # Found by a black-box sweep: the first line of a shard saved with a
    # BOM was rejected as malformed JSON; the CLI keeps the mark and cleans
    # the record.
    good = '{"id":"a","text":"Baca Juga: x\\n\\nIsi berita yang panjang dan lengkap sekali hari ini."}'
    shard = tmp_path / "bom.jsonl"
    shard.write_text("\ufeff" + good + "\n" + good + "\n", encoding="utf-8")
    done = run_cli(sapu_bin, "clean", "-q", str(shard))
    assert done.returncode == 0, done.stderr.decode()
    expected = done.stdout.decode("utf-8").splitlines()
    assert expected[0].startswith("\ufeff")
    assert cleaner.clean_jsonl(["\ufeff" + good, good], on_error="raise") == expected
    # A mark before a later line is not the file's: an error that names it.
    with pytest.raises(ValueError, match="byte-order mark"):
        cleaner.clean_jsonl([good, "\ufeff" + good], on_error="raise")


def test_blank_text_passes_through(cleaner):
    assert cleaner.clean("") == ""
    assert cleaner.clean("  \n\n ") == "  \n\n "
    assert cleaner.explain("\n") == []
    assert cleaner.annotate("") == ("", {"dropped_lines": 0, "dropped_chars": 0, "rules": []})


def test_user_rules_disable_and_pickle(tmp_path):
    rule_file = tmp_path / "mine.toml"
    rule_file.write_text(RULE, encoding="utf-8")
    plain = sapu.Cleaner()
    mine = sapu.Cleaner(rules=rule_file, disable=["promo.baca-juga"])
    assert "test.promo" in mine.rule_ids()
    assert "promo.baca-juga" not in mine.rule_ids()
    assert "promo.baca-juga" in plain.rule_ids()
    out = mine.clean(PAGE)
    assert "Langganan" not in out
    assert "Baca Juga" in out
    assert "Baca Juga" not in plain.clean(PAGE)

    # The pickle carries the rule file's text: it unpickles after the file is gone.
    data = pickle.dumps(mine)
    rule_file.unlink()
    again = pickle.loads(data)
    assert again.rule_ids() == mine.rule_ids()
    assert again.clean(PAGE) == out
    assert again.explain(PAGE) == mine.explain(PAGE)


def test_rule_directories_and_lists(tmp_path):
    (tmp_path / "a.toml").write_text(RULE, encoding="utf-8")
    by_dir = sapu.Cleaner(rules=str(tmp_path), default_rules=False)
    by_list = sapu.Cleaner(rules=[tmp_path / "a.toml"], default_rules=False)
    assert by_dir.rule_ids() == by_list.rule_ids() == ["test.promo"]


def test_max_removed_reverts_like_cli(sapu_bin, tmp_path):
    text = "Baca Juga: satu\nBaca Juga: dua\nBaca Juga: tiga\nIni kalimat.\n"
    src = tmp_path / "doc.txt"
    src.write_text(text, encoding="utf-8")
    done = run_cli(sapu_bin, "clean", "-q", "--max-removed", "0.5", str(src))
    assert done.returncode == 0
    cleaner = sapu.Cleaner(max_removed=0.5)
    assert cleaner.clean(text) + "\n" == done.stdout.decode()
    assert cleaner.clean(text) == "Baca Juga: satu\nBaca Juga: dua\nBaca Juga: tiga\nIni kalimat."
    flag = cleaner.explain(text)[-1]
    assert flag["action"] == "flag" and flag["reverted"] is True
    assert all(r["applied"] is False for r in cleaner.explain(text)[:-1])


def test_rule_errors_have_the_cli_messages(sapu_bin, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[rule]]\nid = "x.bad"\nkind = "line"\ndescription = "d"\nregex = ["(unclosed"]\n'
        '\n[[rule]]\nid = "Bad Id"\nkind = "nope"\n',
        encoding="utf-8",
    )
    done = run_cli(sapu_bin, "clean", "--rules", str(bad), "-", input=b"")
    assert done.returncode == 2
    stderr = done.stderr.decode()
    cli = stderr[: stderr.rindex("\nsapu: ")].replace("sapu: error: ", "")
    with pytest.raises(sapu.RuleError) as caught:
        sapu.Cleaner(rules=bad)
    assert str(caught.value) == cli
    assert f"{bad}:9: rule `Bad Id`" in str(caught.value)
    assert isinstance(caught.value, ValueError)

    with pytest.raises(sapu.RuleError, match="rule `no.such`: no rule has this id"):
        sapu.Cleaner(disable=["no.such"])
    with pytest.raises(sapu.RuleError, match="cannot read rule file"):
        sapu.Cleaner(rules=tmp_path / "missing.toml")


def test_bad_arguments_raise(cleaner):
    with pytest.raises(TypeError):
        cleaner.clean_batch("one string, not a list")
    with pytest.raises(TypeError):
        sapu.Cleaner(rules=42)
    with pytest.raises(ValueError):
        cleaner.clean_batch(["x"], threads=0)
    with pytest.raises(ValueError):
        sapu.Cleaner(max_removed=1.5)


def test_shared_between_threads(cleaner):
    texts = [t for _, t in corpus_texts()]
    expected = cleaner.clean_batch(texts, threads=1)
    results = [None] * 4

    def work(i):
        results[i] = cleaner.clean_batch(texts, threads=1)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_package_ships_stubs_and_docstrings():
    from pathlib import Path

    root = Path(sapu.__file__).parent
    assert (root / "__init__.pyi").is_file() and (root / "py.typed").is_file()
    assert "compiled" in sapu.Cleaner.__doc__.lower()
    assert "GIL" in sapu.Cleaner.clean_batch.__doc__
    assert sapu.__version__ == "0.1.0"


def _bad_rules_in_a_worker(path):
    return sapu.Cleaner(rules=path)


def test_rule_error_pickles_and_reaches_the_driver(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(RULE.replace('kind = "line"', 'kind = "lines"'), encoding="utf-8")
    with pytest.raises(sapu.RuleError) as caught:
        sapu.Cleaner(rules=bad)
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is sapu.RuleError and str(again) == str(caught.value)
    assert "bad.toml:3" in str(again)
    # As an engine ships a worker's exception to the driver.
    import concurrent.futures

    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        with pytest.raises(sapu.RuleError, match="bad.toml:3"):
            pool.submit(_bad_rules_in_a_worker, str(bad)).result()


def test_clean_jsonl_skips_bad_lines_by_default_as_the_cli_does(cleaner, sapu_bin, tmp_path):
    good = '{"id":"a","text":"Baca Juga: x\\n\\nIsi berita yang panjang dan lengkap sekali hari ini."}'
    lines = [good, "not json", '{"id":"c","text":7}', good]
    with pytest.warns(sapu.BadRecordWarning, match=r"2 bad lines .*line 1 of the batch: malformed JSON"):
        done = cleaner.clean_jsonl(lines)
    assert done[1] is None and done[2] is None
    # The CLI leaves the bad lines out, and writes the same records.
    shard = tmp_path / "in.jsonl"
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = run_cli(sapu_bin, "clean", "-q", str(shard))
    assert cli.returncode == 3
    assert cli.stdout.decode().splitlines() == [d for d in done if d is not None]
    with pytest.raises(ValueError, match="line 1 of the batch: malformed JSON"):
        cleaner.clean_jsonl(lines, on_error="raise")


def test_clean_jsonl_reads_an_unpaired_surrogate_as_a_replacement_character(cleaner):
    prose = "Isi berita yang panjang dan lengkap sekali hari ini."
    lines = ['{"id":"a","text":"Emoji \\ud83d ' + prose + '"}', '{"id":"b","text":"' + prose + '"}']
    with pytest.warns(UnicodeWarning, match=r"1 record with unpaired UTF-16 .*line 0 of the batch"):
        done = cleaner.clean_jsonl(lines)
    assert json.loads(done[0])["text"] == "Emoji \ufffd " + prose
    assert json.loads(done[1])["text"] == prose


def test_one_string_where_a_list_is_expected_says_so(cleaner):
    for call in (cleaner.clean_batch, cleaner.annotate_batch, cleaner.clean_jsonl):
        with pytest.raises(TypeError, match="a list"):
            call("one string, not a list")


def test_clean_jsonl_takes_bytes_lines_and_gives_bytes(cleaner):
    good = '{"id":"a","text":"Baca Juga: x\\n\\nIsi berita yang panjang dan lengkap sekali hari ini."}'
    as_str = cleaner.clean_jsonl([good])
    as_bytes = cleaner.clean_jsonl([good.encode(), b"", None, "  "])
    assert as_bytes == [as_str[0].encode(), b"", None, "  "]
    with pytest.warns(sapu.BadRecordWarning, match="invalid UTF-8"):
        assert cleaner.clean_jsonl([b'{"text":"\xff"}']) == [None]
    assert cleaner.clean_jsonl([b'{"text":"\xff"}'], on_error="keep") == [b'{"text":"\xff"}']
