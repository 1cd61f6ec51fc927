"""The portal side of the standard analysis models (표준분석모델): running a model of
`models_std` on catalog tables read as a viewer, storing the run with the exact table versions
and parameters it used, and reading runs back as that viewer.

- inputs:      dataset slugs → the table versions and DataFrames a run reads, checked
- requests:    the gu, the period and the parameters as a person types them, checked
- runs:        execute a model and store its run; read a stored result table
- queries:     the runs a viewer may see; the datasets that can feed an input role
- comparison:  two runs side by side (gu vs gu, period vs period)
- exports:     result tables as CSV (UTF-8 with BOM) and XLSX
- demo_inputs: the models' generated demo inputs from sample_data/models/*/datasets.toml
- commands:    `portal model list | run`
"""
