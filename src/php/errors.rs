//! The exceptions the extension throws.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::{ce, ClassEntry};

/// Thrown by `Order::parse()` when the body is not a Klarna order. The message names the field and the problem.
/// Thrown by the extension only (it has no PHP constructor).
#[php_class]
#[php(name = "KcoValidation\\InvalidPayload")]
#[php(extends(ce = ce::exception, stub = "\\Exception"))]
#[derive(Default)]
pub struct InvalidPayload;

#[php_impl]
impl InvalidPayload {}

pub fn invalid_payload(message: String) -> PhpException {
    PhpException::from_class::<InvalidPayload>(message)
}

/// PHP's `\InvalidArgumentException` (SPL, always compiled in since PHP 5.3).
pub fn invalid_argument(message: String) -> PhpException {
    match ClassEntry::try_find("InvalidArgumentException") {
        Some(class) => PhpException::new(message, 0, class),
        None => PhpException::new(message, 0, ce::exception()),
    }
}
