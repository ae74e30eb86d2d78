"""The acceptance pipeline written by hand the way a Ray Data tutorial would: pandas lambdas
for the derived column, drop_columns, sort, map_batches for the filter and the flag, in the
order of examples/reviews.pipeline.json. The
benchmark runs it side by side with the compiled pipeline on the same data and cluster."""
import sys

import pandas as pd
import ray
from ray.data import ActorPoolStrategy

src, dst = sys.argv[1], sys.argv[2]


def helpful_ratio(df: pd.DataFrame) -> pd.Series:
    total = df["total_votes"].astype("float64")
    return (df["helpful_votes"].astype("float64") / total).where(total != 0)


class FlagLowVotes:
    def __call__(self, df: pd.DataFrame) -> pd.DataFrame:
        df["low_votes"] = df["total_votes"] < 100
        return df


def keep_us_with_votes(df: pd.DataFrame) -> pd.DataFrame:
    return df[(df["total_votes"] > 0) & (df["marketplace"] == "US")]


ray.init()
ds = ray.data.read_parquet(src)
ds = ds.add_column("helpful_ratio", helpful_ratio, batch_format="pandas")
ds = ds.drop_columns(["review_body"])
ds = ds.sort("total_votes", descending=True)
ds = ds.map_batches(keep_us_with_votes, batch_format="pandas")
ds = ds.map_batches(FlagLowVotes, batch_format="pandas", compute=ActorPoolStrategy(min_size=1, max_size=2))
ds.write_parquet(dst, mode="overwrite")
