"""The directory in and out: Open Referral HSDS 3.0 export and import (`hsds`) and CSV
import (`csv`). Callers import the submodule they need; `common` holds what both share.
"""
