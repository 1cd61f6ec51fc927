from tests.analysis.sample_model import sample_model  # noqa: F401 - the fixture
