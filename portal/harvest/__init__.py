"""Harvest runs: a connector's records become datasets, and every run is recorded.

    from portal.harvest import harvest
    run = harvest(portal, "seoul", get_connector("seoul"), progress=...)

`runs` owns the run (states, counts, withdrawal); `mapping` turns a DatasetRecord into the
fields of a Dataset.
"""
from portal.harvest.runs import RUN_STATES, TRIGGERS, HarvestBusy, harvest, running_run

__all__ = ["RUN_STATES", "TRIGGERS", "HarvestBusy", "harvest", "running_run"]
