//! The HTTP answer to Klarna: the one place that turns reasons into a status, a `Location` (flag, codes and the
//! signed details the shopper's page renders) or a JSON body (texts in the shopper's language).
//!
//! It answers the extension's own verdicts ([`crate::validate`]) and, through `KcoValidation\answer()`, whatever
//! the plugin must answer without a verdict of ours: a verdict a shop's filter changed, or the internal-fault
//! policy's deny. The plugin never edits an answer; it contributes inputs (page URLs, response mode, details key,
//! translated templates and price format) and sends what comes out.

pub mod details;
mod response;
pub mod texts;
mod url;

pub use response::respond;
pub use url::{with_args, with_query};

use serde::Deserialize;

use crate::store::{AnswerSection, Options, ResponseMode, Store, Urls};
use crate::verdict::{Failure, Value};

/// One reason as the answer sees it: a failure of the extension's, or one the plugin hands in (a shop's own code,
/// `internal_error`). `code` need not be in the code table: unknown codes get the fallback flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub code: String,
    pub reason: Option<String>,
    /// Plain English, for `error_json` answers without translated templates.
    pub message: String,
    pub params: Vec<(String, Value)>,
    /// The product or variation the reason is about (0: none), so the page can name it in its own language.
    pub product_id: i64,
}

impl Reason {
    /// A failure of the extension's.
    pub fn from_failure(f: &Failure) -> Reason {
        Reason {
            code: f.code.as_str().to_owned(),
            reason: f.reason.map(str::to_owned),
            message: f.message.clone(),
            params: f
                .params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            product_id: f.product_id,
        }
    }

    /// A parameter by name.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// What the answer needs besides the reasons: borrowed from a snapshot, or read on its own ([`OwnedInputs`]).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub currency: &'a str,
    /// None: not given (the plugin asks again with them for a denial in redirect mode).
    pub urls: Option<&'a Urls>,
    pub mode: ResponseMode,
    pub answer: &'a AnswerSection,
}

impl<'a> Inputs<'a> {
    pub fn of(store: &'a Store) -> Inputs<'a> {
        Inputs {
            currency: &store.currency,
            urls: store.urls.as_ref(),
            mode: store.options.response_mode,
            answer: &store.answer,
        }
    }
}

/// The answer's inputs without a whole snapshot: the snapshot's own keys `currency`, `urls`, `options` and
/// `answer` (what `KcoValidation\answer()` takes).
#[derive(Debug, Clone, Deserialize)]
pub struct OwnedInputs {
    pub currency: String,
    /// Optional as in the snapshot: a denial in redirect mode without them has no Location.
    #[serde(default)]
    pub urls: Option<Urls>,
    #[serde(default)]
    pub options: Options,
    #[serde(default)]
    pub answer: AnswerSection,
}

impl OwnedInputs {
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            currency: &self.currency,
            urls: self.urls.as_ref(),
            mode: self.options.response_mode,
            answer: &self.answer,
        }
    }

    /// The same checks the snapshot's URLs get.
    pub fn check(&self) -> Result<(), crate::store::SnapshotError> {
        match &self.urls {
            Some(urls) => crate::store::check_urls(urls),
            None => Ok(()),
        }
    }
}
