//! Which client a request comes from, for per-address limits.
//!
//! The peer's address, unless the peer is a trusted reverse proxy: then the
//! nearest address in `X-Forwarded-For` that is not a trusted proxy (the
//! header's earlier entries are the client's own word and may be forged).
//! An IPv6 client is keyed by its /64, since one host usually holds a whole
//! /64 and could otherwise take a fresh address, and a fresh bucket, per request.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;

/// The key of per-address limits.
pub fn client_key(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let mut client = peer.to_canonical();
    if trusted_proxies.contains(&client) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .map(|a| a.to_canonical())
            .collect::<Vec<_>>();
        if let Some(nearest) = forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted_proxies.contains(a))
        {
            client = nearest;
        }
    }
    match client {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            value.parse().unwrap_or_else(|_| panic!()),
        );
        headers
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        let h = forwarded("203.0.113.9");
        assert_eq!(client_key(ip("198.51.100.1"), &h, &[]), ip("198.51.100.1"));
        let proxy = ip("10.0.0.5");
        assert_eq!(client_key(proxy, &h, &[proxy]), ip("203.0.113.9"));
        assert_eq!(client_key(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn forged_entries_before_the_proxies_are_ignored() {
        let (outer, inner) = (ip("10.0.0.5"), ip("10.0.0.6"));
        // The client forged the first entry; the outer proxy appended the real one.
        let h = forwarded("1.2.3.4, 203.0.113.9, 10.0.0.5");
        assert_eq!(client_key(inner, &h, &[outer, inner]), ip("203.0.113.9"));
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_and_mapped_ipv4_as_ipv4() {
        let h = HeaderMap::new();
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1"), &h, &[]),
            client_key(ip("2001:db8:1:2:bbbb::7"), &h, &[])
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1"), &h, &[]),
            client_key(ip("2001:db8:1:3::1"), &h, &[])
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.1"), &h, &[]), ip("192.0.2.1"));
    }
}
