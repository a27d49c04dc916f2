//! The operations of Amazon S3 (`aws s3api …`): buckets, their default encryption, policy and
//! public access block, and objects with server-side encryption (SSE-S3, SSE-KMS, Bucket Keys).

use super::shapes::*;
use super::Ty::*;
use super::{Extra, Member, Op, Param};

const SSE_ALGORITHMS: &[&str] = &["AES256", "aws:kms"];

const SSE_DEFAULT: &[Member] = &[mr("SSEAlgorithm", Str), m("KMSMasterKeyID", Str)];
const SSE_RULE: &[Member] = &[
    m("ApplyServerSideEncryptionByDefault", Struct(SSE_DEFAULT)),
    m("BucketKeyEnabled", Bool),
];
const SSE_CONFIGURATION: &[Member] = &[mr("Rules", StructList(SSE_RULE))];
const PUBLIC_ACCESS_BLOCK: &[Member] = &[
    m("BlockPublicAcls", Bool),
    m("IgnorePublicAcls", Bool),
    m("BlockPublicPolicy", Bool),
    m("RestrictPublicBuckets", Bool),
];
const LOCATION: &[Member] = &[m("LocationConstraint", Str)];

const BUCKET: Param = r("Bucket", Str, "The bucket name.");
const KEY: Param = r("Key", Str, "The object key.");
const BUCKET_ONLY: &[Param] = &[BUCKET];
const SSE: Param = o(
    "ServerSideEncryption",
    Str,
    "AES256 (SSE-S3) or aws:kms (SSE-KMS); default: the bucket's default encryption.",
)
.with(SSE_ALGORITHMS);
const SSE_KMS_KEY: Param = o(
    "SSEKMSKeyId",
    Str,
    "With aws:kms: the KMS key (id, ARN or alias); default alias/aws/s3.",
);
const SSE_CONTEXT: Param = o(
    "SSEKMSEncryptionContext",
    Str,
    "With aws:kms: extra encryption context, base64 of a JSON object of strings.",
);
const BUCKET_KEY: Param = o(
    "BucketKeyEnabled",
    Bool,
    "With aws:kms: use an S3 Bucket Key (one bucket-level data key serves many objects).",
);

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd("s3api", "create-bucket", "CreateBucket", "Creates a bucket (new objects are encrypted with SSE-S3 unless told otherwise).", &[
        BUCKET,
        o("CreateBucketConfiguration", Struct(LOCATION), "LocationConstraint=us-west-2 (required outside us-east-1)."),
        o("ObjectOwnership", Str, "Who owns uploaded objects (BucketOwnerEnforced, the default, turns ACLs off).").with(&["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]),
    ]),
    cmd("s3api", "list-buckets", "ListBuckets", "Lists the buckets of the account.", NOTHING),
    cmd("s3api", "delete-bucket", "DeleteBucket", "Deletes an empty bucket.", BUCKET_ONLY),
    cmd("s3api", "get-bucket-location", "GetBucketLocation", "Shows the Region of a bucket (null for us-east-1).", BUCKET_ONLY),
    cmd("s3api", "put-bucket-encryption", "PutBucketEncryption", "Sets the default encryption of new objects (SSE-S3, SSE-KMS, Bucket Key).", &[
        BUCKET,
        r("ServerSideEncryptionConfiguration", Struct(SSE_CONFIGURATION), "JSON: {\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/…\"},\"BucketKeyEnabled\":true}]}."),
    ]),
    cmd("s3api", "get-bucket-encryption", "GetBucketEncryption", "Shows the default encryption of a bucket.", BUCKET_ONLY),
    cmd("s3api", "delete-bucket-encryption", "DeleteBucketEncryption", "Resets the default encryption to SSE-S3.", BUCKET_ONLY),
    cmd("s3api", "put-bucket-policy", "PutBucketPolicy", "Attaches a bucket policy (JSON).", &[
        BUCKET,
        r("Policy", Str, "The policy document (JSON in single quotes)."),
    ]),
    cmd("s3api", "get-bucket-policy", "GetBucketPolicy", "Shows the bucket policy.", BUCKET_ONLY),
    cmd("s3api", "delete-bucket-policy", "DeleteBucketPolicy", "Removes the bucket policy.", BUCKET_ONLY),
    cmd("s3api", "put-public-access-block", "PutPublicAccessBlock", "Sets the bucket's Block Public Access settings.", &[
        BUCKET,
        r("PublicAccessBlockConfiguration", Struct(PUBLIC_ACCESS_BLOCK), "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true."),
    ]),
    cmd("s3api", "get-public-access-block", "GetPublicAccessBlock", "Shows the bucket's Block Public Access settings.", BUCKET_ONLY),
    cmd("s3api", "put-object", "PutObject", "Stores an object, encrypted server-side (SSE-S3 by default, SSE-KMS on request).", &[
        BUCKET,
        KEY,
        o("Body", Str, "A playground file (see `play file put`); without it the object is empty."),
        o("ContentType", Str, "The media type (default binary/octet-stream)."),
        SSE,
        SSE_KMS_KEY,
        SSE_CONTEXT,
        BUCKET_KEY,
    ]),
    Op {
        extras: &[Extra {
            option: "outfile",
            help: "The playground file the object's bytes are written to (a positional argument).",
        }],
        ..cmd("s3api", "get-object", "GetObject", "Reads an object (S3 decrypts it) into a playground file.", &[
            BUCKET,
            KEY,
            r("Outfile", Str, "The playground file to write (given as the last word, as the AWS CLI takes it)."),
            o("Range", Str, "Only these bytes: bytes=FIRST-LAST (inclusive)."),
        ])
    },
    cmd("s3api", "head-object", "HeadObject", "Shows an object's metadata and encryption, without its bytes.", &[BUCKET, KEY]),
    cmd("s3api", "copy-object", "CopyObject", "Copies an object, re-encrypting it (onto itself to change its key in place).", &[
        BUCKET,
        r("CopySource", Str, "The source: bucket/key."),
        KEY,
        SSE,
        SSE_KMS_KEY,
        SSE_CONTEXT,
        BUCKET_KEY,
    ]),
    cmd("s3api", "delete-object", "DeleteObject", "Deletes an object.", &[BUCKET, KEY]),
    cmd("s3api", "list-objects-v2", "ListObjectsV2", "Lists the objects of a bucket.", &[
        BUCKET,
        o("Prefix", Str, "Only keys that start with this."),
        o("MaxKeys", Int, "At most this many keys (default 1000)."),
    ]),
];
