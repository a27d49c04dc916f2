//! Mermaid export and the text alternative of hand-built traces.

use super::*;

#[test]
fn mermaid_for_a_three_call_trace() {
    let calls = trace(vec![
        C::new(0, 0, User, Ec2, "CreateVolume")
            .nest(2)
            .resp(json!({"VolumeId": "vol-1", "Size": 8})),
        C::new(1, 0, Ec2, Kms, "GenerateDataKeyWithoutPlaintext")
            .approx()
            .resp(json!({"CiphertextBlob": "AQID", "KeyId": "k"})),
        C::new(2, 1, User, Kms, "Decrypt").fail("InvalidCiphertextException"),
    ]);
    assert_eq!(
        to_mermaid(&calls),
        "sequenceDiagram
    participant User
    participant EC2
    participant KMS
    %% command 1
    User->>EC2: CreateVolume
    EC2->>KMS: GenerateDataKeyWithoutPlaintext
    Note over EC2,KMS: ≈ approximation
    KMS-->>EC2: CiphertextBlob
    EC2-->>User: VolumeId, …
    %% command 2
    User->>KMS: Decrypt
    KMS--xUser: InvalidCiphertextException
"
    );
}

#[test]
fn mermaid_events_self_calls_and_escapes() {
    let calls = trace(vec![
        C::new(0, 0, Kms, Kms, "Rotate: key #1; now")
            .event()
            .approx(),
        C::new(1, 0, User, Ec2, "Op\nwith <break>"),
    ]);
    assert_eq!(
        to_mermaid(&calls),
        "sequenceDiagram
    participant User
    participant EC2
    participant KMS
    %% command 1
    KMS-)KMS: Rotate#58; key #35;1#59; now
    Note over KMS: ≈ approximation
    User->>EC2: Op with #60;break#62;
    EC2-->>User: OK
"
    );
}

#[test]
fn text_alternative_lists_calls_in_order() {
    assert_eq!(
        text_alternative(&sample()),
        vec![
            "User → EC2: CreateVolume",
            "EC2 → KMS: GenerateDataKeyWithoutPlaintext",
            "EC2 → KMS: CreateGrant",
            "User → KMS: Decrypt (failed: InvalidCiphertextException)",
            "EC2 → EventBridge: createVolume",
        ]
    );
    assert!(text_alternative(&[]).is_empty());
}
