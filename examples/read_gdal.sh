#!/usr/bin/env bash
# GDAL reads the demo over HTTP: gdalinfo of a dataset, then one field to a GeoTIFF.
#
# usage: bash examples/read_gdal.sh [BASE_URL] [OUT_DIR]   (default http://127.0.0.1:8000 and .;
#        start the demo first with: deno task serve)
set -euo pipefail
base="${1:-http://127.0.0.1:8000}"
out="${2:-.}"

# The store as a multidimensional dataset: its arrays and dimensions.
gdalinfo -mdd all "ZARR:\"/vsicurl/$base/weather\"" | grep -E "^(Driver|Size|  SUBDATASET_[12]_NAME)"

# One field as a raster: ":0" picks the first index of t2m's leading dimension (time). GDAL
# keeps the packed int16 values and reports scale_factor and add_offset as Scale and Offset.
gdal_translate -q "ZARR:\"/vsicurl/$base/weather\":/t2m:0" "$out/weather_t2m.tif"
gdalinfo -stats "$out/weather_t2m.tif" | grep -E "^Size is|STATISTICS_(MINIMUM|MAXIMUM)|Offset|Scale"
echo "wrote $out/weather_t2m.tif"
