//! The signer against a vector made by an independent tool (the Stripe vector of the inbound
//! webhook tests, generated with Python's `hmac` and `openssl dgst`, see
//! `orion/tests/it/webhook.rs`): the outbound header is Stripe's, byte for byte.

use super::signature;

#[test]
fn the_signature_is_stripes_scheme_byte_for_byte() {
    let payload = r#"{"id":"evt_1OrionWebhookTest","object":"event","type":"invoice.paid"}"#;
    assert_eq!(
        signature(b"whsec_orion_test_5f0c6a1d", 1_763_740_800, payload.as_bytes()),
        "t=1763740800,v1=c47ab76fbde4996ffbb224ee85c12554d61f35410de970f50d831d53ea147b2d"
    );
}
