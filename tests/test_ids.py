from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from tierline.ids import new_id


def test_an_id_is_its_prefix_then_a_time_then_random_hexadecimal_digits() -> None:
    assert re.fullmatch(r"inv_[0-9a-f]{16}[0-9a-f]{6}", new_id("inv"))


def test_ids_made_later_sort_after_ids_made_earlier_even_within_one_instant() -> None:
    made = [new_id("pay") for _ in range(20_000)]  # more than one draw of random digits

    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_ids_made_in_several_threads_at_once_are_all_different() -> None:
    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda _: [new_id("je") for _ in range(5_000)], range(4)))

    made = [i for batch in batches for i in batch]
    assert len(set(made)) == len(made)
    assert all(batch == sorted(batch) for batch in batches)
