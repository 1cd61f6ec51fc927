import pandas as pd

from portal.catalog.tablestore import TableStore, content_hash


def frame(values=(1, 2, 3)):
    return pd.DataFrame({"자치구": ["종로구", "중구", "용산구"][:len(values)],
                         "인구": list(values)})


def test_same_content_has_the_same_hash_and_one_file(tmp_path):
    store = TableStore(tmp_path)
    first, second = store.put_table(frame()), store.put_table(frame())
    assert first.content_hash == second.content_hash == content_hash(frame())
    assert first.key == second.key
    assert len(list(tmp_path.rglob("*.parquet"))) == 1


def test_changed_cell_column_name_or_type_changes_the_hash():
    base = content_hash(frame())
    assert content_hash(frame((1, 2, 4))) != base
    assert content_hash(frame().rename(columns={"인구": "세대"})) != base
    assert content_hash(frame().astype({"인구": "float64"})) != base


def test_a_stored_table_reads_back_unchanged(tmp_path):
    store = TableStore(tmp_path)
    original = frame()
    stored = store.put_table(original)
    pd.testing.assert_frame_equal(store.read_table(stored.key), original,
                                  check_dtype=False)


def test_head_reads_only_the_first_rows_of_a_large_table(tmp_path):
    store = TableStore(tmp_path, row_group_size=1000)
    big = pd.DataFrame({"n": range(10_000)})
    stored = store.put_table(big)
    head = store.head(stored.key, 50)
    assert list(head["n"]) == list(range(50))


def test_originals_are_kept_byte_for_byte(tmp_path):
    store = TableStore(tmp_path)
    data = "기관명,소계\n강남구,3238\n".encode("cp949")
    key = store.put_original(data, "cctv.CSV")
    assert key.endswith(".csv")
    assert store.path(key).read_bytes() == data
