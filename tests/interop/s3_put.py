"""Creates a bucket on an S3-compatible endpoint and uploads files (boto3, signed).

usage: s3_put.py ENDPOINT BUCKET FILE...   (credentials from AWS_* variables)
"""
import os
import sys

import boto3

endpoint, bucket, files = sys.argv[1], sys.argv[2], sys.argv[3:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
try:
    s3.create_bucket(Bucket=bucket)
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass
for f in files:
    s3.upload_file(f, bucket, "nc3/" + os.path.basename(f))
print("uploaded", len(files))
