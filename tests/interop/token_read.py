"""Reads a guarded store with xarray, sending the token as the README says; prints JSON.

usage: token_read.py URL TOKEN|- VARIABLE
"""
import json
import sys

import xarray as xr

url, token, var = sys.argv[1], sys.argv[2], sys.argv[3]
opts = {} if token == "-" else {"headers": {"Authorization": f"Bearer {token}"}}
try:
    ds = xr.open_zarr(url, storage_options=opts)
    print(json.dumps({"ok": True, "mean": float(ds[var].mean()), "dims": list(ds[var].dims)}))
except Exception as e:  # what a user without the token sees
    print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
