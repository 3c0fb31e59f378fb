//! The PHP extension: the only module that touches ext-php-rs.
//!
//! It registers `KcoValidation\Order`, `KcoValidation\InvalidPayload`, `KcoValidation\version()`,
//! `KcoValidation\build_info()`, the answer functions (`codes()`, `answer()`, `render_reasons()`, `read_details()`,
//! in `answer.rs`) and the phpinfo section. Every entry point runs inside ext-php-rs's panic guard
//! (a panic becomes a PHP `\Error`); the phpinfo function is not guarded, so it only prints static strings.

mod answer;
mod convert;
mod de;
mod errors;
mod order;

use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

pub use errors::InvalidPayload;
pub use order::PhpOrder;

/// The version of the kco_validation extension.
#[php_function]
#[php(name = "KcoValidation\\version")]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// What the extension was built for and with.
#[php_function]
#[php(name = "KcoValidation\\build_info")]
pub fn build_info() -> PhpResult<ext_php_rs::boxed::ZBox<ZendHashTable>> {
    let mut ht = ZendHashTable::new();
    let put = |ht: &mut ZendHashTable, k: &str, v: ext_php_rs::types::Zval| {
        ht.insert(k, v)
            .map_err(|e| PhpException::from_message(format!("build_info: {e}")))
    };
    put(&mut ht, "version", str_zval(env!("CARGO_PKG_VERSION")))?;
    put(&mut ht, "php_api", str_zval(env!("KCO_PHP_API")))?;
    put(&mut ht, "php_version", str_zval(env!("KCO_PHP_VERSION")))?;
    put(&mut ht, "zts", bool_zval(env!("KCO_PHP_ZTS") == "1"))?;
    put(&mut ht, "debug", bool_zval(env!("KCO_PHP_DEBUG") == "1"))?;
    put(&mut ht, "rustc", str_zval(env!("KCO_RUSTC_VERSION")))?;
    put(&mut ht, "profile", str_zval(env!("KCO_PROFILE")))?;
    Ok(ht)
}

fn str_zval(s: &str) -> ext_php_rs::types::Zval {
    let mut z = ext_php_rs::types::Zval::new();
    // Setting a string only fails on allocation failure, which PHP reports itself.
    let _ = z.set_string(s, false);
    z
}

fn bool_zval(b: bool) -> ext_php_rs::types::Zval {
    let mut z = ext_php_rs::types::Zval::new();
    z.set_bool(b);
    z
}

/// The phpinfo() section. Not covered by the panic guard: static strings only.
extern "C" fn module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("kco_validation support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("built for PHP API", env!("KCO_PHP_API"));
    info_table_row!("built with", env!("KCO_RUSTC_VERSION"));
    info_table_end!();
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    answer::register(module)
        .class::<InvalidPayload>()
        .class::<PhpOrder>()
        .function(wrap_function!(version))
        .function(wrap_function!(build_info))
        .info_function(module_info)
}
