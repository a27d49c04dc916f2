//! The network members of EC2's answers that the playground has no model for — the default
//! VPC, its subnets and security group, an instance's network interface and addresses — as
//! plausible, deterministic values derived from the resource ids.
//!
//! They are derived (FNV-1a of the ids) rather than drawn from the seeded generator: drawing
//! would move every id minted afterwards, and the same seed and commands must keep giving the
//! same volumes, snapshots and keys. The shapes follow the AWS CLI's run-instances example
//! (awscli/examples/ec2/run-instances.rst): a default VPC of 172.31.0.0/16 with one /20 subnet
//! per zone ("Default VPCs", Amazon VPC user guide).

use super::provider::Provider;
use super::rng::to_hex;
use crate::json;
use serde_json::Value;

/// FNV-1a over the parts, separated so that ("ab", "c") and ("a", "bc") differ.
fn digest(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// An EC2-style id (`vpc-0…`, 17 hex digits) derived from the parts.
pub(crate) fn derived_id(prefix: &str, parts: &[&str]) -> String {
    let a = digest(parts).to_be_bytes();
    let b = digest(&[prefix, &to_hex(&a)]).to_be_bytes();
    format!("{prefix}-0{}", &to_hex(&[a, b].concat())[..16])
}

/// A UUID-shaped token derived from the parts (the `ClientToken` the AWS CLI sends for you).
pub(crate) fn derived_uuid(parts: &[&str]) -> String {
    let h = to_hex(
        &[
            digest(parts).to_be_bytes(),
            digest(&[&parts.join("/"), "uuid"]).to_be_bytes(),
        ]
        .concat(),
    );
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// An IAM unique id (`AROA…` for roles, `AIDA…` for users: the prefix and 17 upper-case
/// characters, "IAM identifiers" in the IAM user guide) derived from the ARN.
pub(crate) fn derived_iam_id(prefix: &str, arn: &str) -> String {
    let h = to_hex(
        &[
            digest(&[arn]).to_be_bytes(),
            digest(&[arn, prefix]).to_be_bytes(),
        ]
        .concat(),
    );
    format!("{prefix}{}", h[..17].to_ascii_uppercase())
}

/// The account's default VPC in a region.
pub(crate) fn default_vpc(account: &str, region: &str) -> String {
    derived_id("vpc", &[account, region])
}

/// The default subnet of a zone.
pub(crate) fn default_subnet(account: &str, az: &str) -> String {
    derived_id("subnet", &[account, az])
}

/// The default security group of the default VPC: `(GroupId, GroupName)`.
pub(crate) fn default_security_group(account: &str, region: &str) -> (String, &'static str) {
    (derived_id("sg", &[account, region]), "default")
}

/// An instance's private IPv4 address, in its zone's /20 of 172.31.0.0/16 (zone `a` is
/// 172.31.0.0/20, `b` 172.31.16.0/20, `c` 172.31.32.0/20).
pub(crate) fn private_ip(az: &str, instance_id: &str) -> String {
    let zone = u64::from(az.bytes().last().unwrap_or(b'a').saturating_sub(b'a')) % 3;
    let h = digest(&[instance_id, "private-ip"]);
    format!("172.31.{}.{}", zone * 16 + h % 16, 4 + (h >> 8) % 250)
}

/// A running instance's public IPv4 address (from the 3.0.0.0/8 block AWS announces).
pub(crate) fn public_ip(instance_id: &str) -> String {
    let h = digest(&[instance_id, "public-ip"]);
    format!(
        "3.{}.{}.{}",
        80 + h % 160,
        (h >> 8) % 256,
        1 + (h >> 16) % 254
    )
}

/// A MAC address of the `0a:…` form EC2 gives network interfaces.
fn mac_address(instance_id: &str) -> String {
    let b = digest(&[instance_id, "mac"]).to_be_bytes();
    let parts: Vec<String> = b[..5].iter().map(|x| to_hex(&[*x])).collect();
    format!("0a:{}", parts.join(":"))
}

/// What an instance's network members are derived from.
pub(crate) struct InstanceNet<'a> {
    pub provider: &'a Provider,
    pub account: &'a str,
    pub region: &'a str,
    pub az: &'a str,
    pub instance_id: &'a str,
    /// ISO 8601 launch time (the interface's attach time).
    pub launched: &'a str,
    /// Whether the instance is running (only then has it a public address).
    pub running: bool,
}

impl InstanceNet<'_> {
    /// The network members of an Instance structure, in the AWS CLI example's order.
    pub(crate) fn members(&self) -> Vec<(&'static str, Value)> {
        let p = self.provider;
        let ip = private_ip(self.az, self.instance_id);
        let dns = p.private_dns_name(self.region, &ip);
        let vpc = default_vpc(self.account, self.region);
        let subnet = default_subnet(self.account, self.az);
        let (sg, sg_name) = default_security_group(self.account, self.region);
        let groups = json!([{"GroupId": sg, "GroupName": sg_name}]);
        let public = self.running.then(|| public_ip(self.instance_id));
        let mut eni = json!({
            "Attachment": {
                "AttachTime": self.launched,
                "AttachmentId": derived_id("eni-attach", &[self.instance_id]),
                "DeleteOnTermination": true,
                "DeviceIndex": 0,
                "Status": "attached",
                "NetworkCardIndex": 0,
            },
            "Description": "",
            "Groups": groups,
            "Ipv6Addresses": [],
            "MacAddress": mac_address(self.instance_id),
            "NetworkInterfaceId": derived_id("eni", &[self.instance_id]),
            "OwnerId": self.account,
            "PrivateDnsName": dns,
            "PrivateIpAddress": ip,
            "PrivateIpAddresses": [{"Primary": true, "PrivateDnsName": dns, "PrivateIpAddress": ip}],
            "SourceDestCheck": true,
            "Status": "in-use",
            "SubnetId": subnet,
            "VpcId": vpc,
            "InterfaceType": "interface",
        });
        let mut out = vec![
            ("PrivateDnsName", json!(dns)),
            ("PrivateIpAddress", json!(ip)),
            (
                "PublicDnsName",
                json!(public
                    .as_ref()
                    .map(|a| p.public_dns_name(self.region, a))
                    .unwrap_or_default()),
            ),
        ];
        if let Some(a) = &public {
            out.push(("PublicIpAddress", json!(a)));
            let assoc = json!({"IpOwnerId": "amazon", "PublicDnsName": p.public_dns_name(self.region, a), "PublicIp": a});
            eni["Association"] = assoc.clone();
            eni["PrivateIpAddresses"][0]["Association"] = assoc;
        }
        out.extend([
            ("SubnetId", json!(subnet)),
            ("VpcId", json!(vpc)),
            ("NetworkInterfaces", json!([eni])),
            ("SecurityGroups", groups),
            ("SourceDestCheck", json!(true)),
        ]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provider::AWS;

    #[test]
    fn derived_values_are_stable_and_well_formed() {
        let a = derived_id("vpc", &["111122223333", "us-east-1"]);
        assert_eq!(a, default_vpc("111122223333", "us-east-1"));
        assert_eq!(a.len(), "vpc-".len() + 17);
        assert!(a.starts_with("vpc-0"));
        assert_ne!(a, default_vpc("444455556666", "us-east-1"));
        assert_ne!(derived_id("x", &["ab", "c"]), derived_id("x", &["a", "bc"]));
        let ip = private_ip("us-east-1b", "i-0123");
        let octets: Vec<u32> = ip.split('.').map(|o| o.parse().unwrap()).collect();
        assert_eq!(&octets[..2], &[172, 31]);
        assert!((16..32).contains(&octets[2]), "{ip}");
        assert!((4..254).contains(&octets[3]), "{ip}");
        let u = derived_uuid(&["r-0abc"]);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn dns_names_follow_the_region_forms() {
        assert_eq!(
            AWS.private_dns_name("us-east-1", "172.31.1.2"),
            "ip-172-31-1-2.ec2.internal"
        );
        assert_eq!(
            AWS.private_dns_name("eu-west-1", "172.31.1.2"),
            "ip-172-31-1-2.eu-west-1.compute.internal"
        );
        assert!(AWS
            .public_dns_name("us-west-2", "3.1.2.3")
            .starts_with("ec2-3-1-2-3.us-west-2.compute."));
    }

    #[test]
    fn only_a_running_instance_has_a_public_address() {
        let net = |running| InstanceNet {
            provider: &AWS,
            account: "111122223333",
            region: "us-east-1",
            az: "us-east-1a",
            instance_id: "i-0abc",
            launched: "2026-01-05T09:00:00.000Z",
            running,
        };
        let names =
            |ms: Vec<(&'static str, Value)>| ms.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert!(names(net(true).members()).contains(&"PublicIpAddress"));
        let stopped = net(false).members();
        assert!(!names(stopped.clone()).contains(&"PublicIpAddress"));
        assert_eq!(stopped[2], ("PublicDnsName", json!("")));
    }
}
