//! Authentication: agents' passwords (argon2id), opaque session tokens, login
//! throttling, and the HMAC signature that vouches for a customer.

pub mod password;
pub mod signature;
pub mod throttle;
pub mod token;
