"""A Pipeline clusterer is judged in the space its final step clusters in."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_wine, make_blobs
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from sklearn_leakage import LeakageScore, select_n_clusters, total_leakage_interval
from sklearn_leakage._clusterer_space import split_clusterer, to_clusterer_space


@pytest.fixture(scope="module")
def wine():
    # Features in very different units: proline runs from 278 to 1680, hue
    # from 0.48 to 1.71.
    return load_wine().data


def test_split_clusterer_unrolls_nested_pipelines_and_skips_passthrough(wine):
    inner = make_pipeline(PCA(3), KMeans(3, n_init=3, random_state=0))
    clusterer = make_pipeline(StandardScaler(), "passthrough", inner).fit(wine)
    steps, final = split_clusterer(clusterer)
    assert [type(step).__name__ for step in steps] == ["StandardScaler", "PCA"]
    assert final is inner[-1]
    Z = to_clusterer_space(steps, wine)
    assert Z.shape == (178, 3)
    assert_array_equal(final.predict(Z), clusterer.predict(wine))
    bare = KMeans(3, n_init=3, random_state=0).fit(wine)
    assert split_clusterer(bare) == ([], bare)
    assert to_clusterer_space([], wine) is wine


def test_pipeline_inside_equals_pipeline_in_front(wine):
    # LeakageScore(make_pipeline(scaler, KMeans)) must score what
    # make_pipeline(scaler, LeakageScore(KMeans)) scores: the same probe, the
    # same reference box (in the scaled space) and the same gains.
    train, held_out = wine[::2], wine[1::2]
    inside = make_pipeline(StandardScaler(), KMeans(3, n_init=3, random_state=0))
    before = inside.get_params()
    est = LeakageScore(inside, random_state=0).fit(train)
    front = make_pipeline(
        StandardScaler(),
        LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0),
    ).fit(train)
    details = est.score_details(held_out)
    assert details == front[-1].score_details(front[0].transform(held_out))
    # Measured in the scaled space, the three cultivars are far tighter than
    # the reference's three cells.
    assert details["dispersion_gain"] == pytest.approx(0.572, abs=0.005)
    assert details["reference_dispersion_gain"] == pytest.approx(0.316, abs=0.005)
    assert_allclose(est.oof_proba_, front[-1].oof_proba_)
    assert_allclose(est.predict_proba(held_out), front.predict_proba(held_out))
    # predict is still the Pipeline's own, on raw rows.
    assert_array_equal(est.predict(held_out), est.clusterer_.predict(held_out))
    assert inside.get_params() == before


def test_select_n_clusters_with_a_scaler_inside_finds_the_three_cultivars(wine):
    # Judged on the raw rows, proline filled the reference box and the sums of
    # squares, and the search answered 1.
    search = select_n_clusters(
        wine,
        make_pipeline(StandardScaler(), KMeans(random_state=0)),
        range(1, 9),
        random_state=0,
    )
    assert search.best_params_ == {"clusterer__kmeans__n_clusters": 3}
    scaled = select_n_clusters(
        StandardScaler().fit_transform(wine),
        KMeans(random_state=0),
        range(1, 9),
        random_state=0,
    )
    assert scaled.best_params_ == {"clusterer__n_clusters": 3}


def test_preprocessing_that_outputs_data_frames(wine):
    # A step configured to return data frames gives the same scores as one
    # returning arrays: its output is converted before rows are indexed.
    scores = []
    for output in ("pandas", "default"):
        scaler = StandardScaler().set_output(transform=output)
        est = LeakageScore(
            make_pipeline(scaler, KMeans(3, n_init=3, random_state=0)), random_state=0
        ).fit(wine[::2])
        scores.append((est.score_details(wine[1::2]), est.predict_proba(wine[1::2])))
    assert scores[0][0] == scores[1][0]
    assert_allclose(scores[0][1], scores[1][1])
    assert scores[0][1].shape == (89, 3)


def test_steps_take_the_data_frame_as_passed():
    # A ColumnTransformer as the clusterer's first step selects columns by
    # name, imputes a missing value and one-hot encodes a text column, as it
    # would in front of LeakageScore; the search answers what the same
    # encoding in front answers (tests/test_estimator.py): 3 blobs x 2 shops.
    X, _ = make_blobs(n_samples=300, centers=3, random_state=2)
    shop = np.random.default_rng(0).choice(["north", "south"], 300)
    frame = pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "shop": shop, "id": 1})
    frame.loc[7, "x"] = np.nan
    before = frame.copy()
    encode = make_column_transformer(
        (make_pipeline(SimpleImputer(), StandardScaler()), ["x", "y"]),
        (OneHotEncoder(), ["shop"]),
    )
    clusterer = make_pipeline(encode, KMeans(n_init=10, random_state=0))
    search = select_n_clusters(frame, clusterer, range(1, 8), random_state=0)
    assert search.best_params_ == {"clusterer__kmeans__n_clusters": 6}
    best = search.best_estimator_
    assert best.feature_names_in_.tolist() == ["x", "y", "shop", "id"]
    assert best.predict_proba(frame.iloc[:5]).shape == (5, 6)
    # The features are checked by name, as scikit-learn checks them.
    with pytest.raises(ValueError, match="Feature names seen at fit time"):
        best.predict_proba(frame.drop(columns=["shop"]))
    pd.testing.assert_frame_equal(frame, before)
    # What the steps give the clusterer must be numbers (here the clusterer
    # itself refuses the text it is passed).
    passthrough = make_column_transformer(("passthrough", ["x", "shop"]))
    raw = make_pipeline(passthrough, KMeans(2))
    with pytest.raises(ValueError, match="could not convert string to float"):
        LeakageScore(raw).fit(frame.fillna(0))


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.InSampleScoreWarning")
def test_one_hot_columns_of_a_data_frame_keep_the_reference():
    # Ten shops make the encoder's output sparse; sparse rows would get no
    # reference data and step 2 would be skipped. Dense input stays dense.
    X, _ = make_blobs(n_samples=300, centers=3, random_state=2)
    shop = np.random.default_rng(0).choice(list("abcdefghij"), 300)
    frame = pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "shop": shop})
    encode = make_column_transformer(
        (StandardScaler(), ["x", "y"]), (OneHotEncoder(), ["shop"])
    )
    fitted = LeakageScore(make_pipeline(encode, KMeans(3)), random_state=0)
    fitted.fit(frame)
    assert fitted.reference_ is not None
    assert np.isfinite(fitted.score_details(frame)["reference_dispersion_gain"])


def test_a_text_vectorizer_output_stays_sparse_and_gets_no_reference():
    # Documents of 25 words from a vocabulary of thousands: 0.75% of the
    # TF-IDF entries are non-zero. Made dense, the output and a reference box
    # as wide as the vocabulary were kept in the fitted estimator (12.8 MB
    # pickled here; 832 MB and 37 s to fit 2,000 documents of 26,000 terms).
    # It stays sparse, as sparse X does, and step 2 has no reference.
    rng = np.random.default_rng(0)
    docs = [
        " ".join(f"w{w}" for w in rng.integers(3000, size=20)) + f" topic{i % 3}" * 5
        for i in range(600)
    ]
    pipeline = make_pipeline(TfidfVectorizer(), KMeans(3, n_init=3, random_state=0))
    est = LeakageScore(pipeline, random_state=0).fit(docs[:300])
    assert est.reference_ is None
    assert len(pickle.dumps(est)) < 1_000_000
    details = est.score_details(docs[300:])
    assert details["reproducibility"] > 0.99
    assert np.isnan(details["reference_dispersion_gain"])
    assert np.isnan(details["reference_boundary_leakage"])


def test_the_fit_decides_whether_the_steps_output_is_made_dense():
    # One-hot columns of a dense frame are made dense (a quarter of the
    # entries are non-zero); a decision passed in holds for any rows, so that
    # held-out rows live in the space the estimator was fitted in.
    shop = pd.DataFrame({"shop": np.tile(list("abcd"), 10)})
    encoder = OneHotEncoder().fit(shop)
    assert isinstance(to_clusterer_space([encoder], shop), np.ndarray)
    assert sp.issparse(to_clusterer_space([encoder], shop, densify=False))
    assert isinstance(to_clusterer_space([encoder], shop, densify=True), np.ndarray)
    # A hundred shops beside two numbers: 102 columns, made dense. 400 shops
    # alone: more than 256 columns with one non-zero entry of 400 in each
    # row, kept sparse; 360 columns of which 2.5% are non-zero, made dense.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=500), "y": rng.normal(size=500)}).assign(
        shop=[f"s{i % 100}" for i in range(500)]
    )
    encode = make_column_transformer(
        (StandardScaler(), ["x", "y"]), (OneHotEncoder(), ["shop"])
    ).fit(frame)
    assert to_clusterer_space([encode], frame).shape == (500, 102)
    assert isinstance(to_clusterer_space([encode], frame), np.ndarray)
    wide = pd.DataFrame({"shop": [f"s{i}" for i in range(400)]})
    assert sp.issparse(to_clusterer_space([OneHotEncoder().fit(wide)], wide))
    nine = pd.DataFrame({f"c{j}": [f"s{i % 40}" for i in range(400)] for j in range(9)})
    output = to_clusterer_space([OneHotEncoder().fit(nine)], nine)
    assert isinstance(output, np.ndarray)
    assert output.shape == (400, 360)
    # float32 output is judged as float64 output is.
    narrow = OneHotEncoder(dtype=np.float32).fit(wide)
    assert sp.issparse(to_clusterer_space([narrow], wide))


def test_rows_are_carried_into_the_space_the_estimator_was_fitted_in(wine):
    # Fitted on dense rows, sparse rows to score were compared with a dense
    # reference, and the gains failed ("setting an array element with a
    # sequence"); an estimator pickled before the fit's decision was kept
    # made its steps' output dense whenever X was, and still does.
    est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
    est.fit(wine[:100])
    dense = est.score_details(wine[100:])
    assert est.score_details(sp.csr_matrix(wine[100:])) == pytest.approx(dense)
    # Pickled before the decision was kept, its reference says it was dense.
    del est._dense_space
    assert est.score_details(sp.csr_matrix(wine[100:])) == pytest.approx(dense)
    shop = pd.DataFrame({"shop": np.tile([f"s{i}" for i in range(300)], 2)})
    encode = make_pipeline(OneHotEncoder(), KMeans(3, n_init=3, random_state=0))
    old = LeakageScore(encode, random_state=0).fit(shop)
    assert old.reference_ is None  # 300 columns of which one is non-zero
    del old._dense_space
    assert isinstance(old._to_clusterer_space(shop), np.ndarray)


def test_new_rows_with_missing_values_name_the_imputer(wine):
    # A scaler passes NaN through; predict_proba and score said only "Input
    # contains NaN", where the plain estimator names the fix.
    pipeline = make_pipeline(StandardScaler(), KMeans(3, n_init=3, random_state=0))
    est = LeakageScore(pipeline, random_state=0).fit(wine)
    rows = wine[:40].copy()
    rows[0, 0] = np.nan
    for method in (est.predict_proba, est.score, est.score_details):
        with pytest.raises(ValueError, match=r"no step .* fills.*SimpleImputer\(\)"):
            method(rows)
    # Fitting got scikit-learn's advice for supervised learning, and the
    # search and the interval check_array's bare "Input contains NaN".
    table = wine.copy()
    table[0, 0] = np.nan
    fits = (
        lambda: LeakageScore(pipeline, random_state=0).fit(table),
        lambda: select_n_clusters(table, pipeline, range(1, 3), random_state=0),
        lambda: total_leakage_interval(table, clusterer=pipeline, n_resamples=2),
    )
    for fit in fits:
        with pytest.raises(ValueError, match=r"no step .* fills.*SimpleImputer\(\)"):
            fit()
    # A step that makes NaN of complete rows is named, not the imputer; a
    # step's own error that mentions NaN is left as it is.
    logs = make_pipeline(FunctionTransformer(np.log), KMeans(3, n_init=3))
    with (
        pytest.warns(RuntimeWarning),
        pytest.raises(
            ValueError, match="A step of the clusterer's Pipeline output NaN, though X"
        ),
    ):
        LeakageScore(logs).fit(wine - wine.mean(axis=0))

    def refuse(X):
        raise ValueError("NaN not allowed in parameter 'fill'")

    refusing = make_pipeline(FunctionTransformer(refuse), KMeans(3, n_init=3))
    with pytest.raises(ValueError, match=r"^NaN not allowed in parameter 'fill'$"):
        LeakageScore(refusing).fit(wine)


def test_steps_that_cannot_take_x_fail_once_with_their_reason():
    frame = pd.DataFrame({"x": np.arange(40.0), "y": np.arange(40.0) % 7, "c": "u"})
    clusterer = make_pipeline(StandardScaler(), KMeans())
    with pytest.raises(ValueError, match=r"failed on X: .*text columns \('c'\)"):
        select_n_clusters(frame, clusterer, range(1, 4))
    with pytest.raises(ValueError, match="minimum of 2 is required"):
        select_n_clusters(frame[["x", "y"]].iloc[:1], clusterer, range(1, 2))
