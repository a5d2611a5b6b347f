//! Every page of a listing this module makes (`ListAccounts`,
//! `ListRegions`), bounded as every listing is (contract §14): a page whose
//! token does not move on, or a listing past
//! [`MAX_LIST_PAGES`] pages, is an error that
//! names the operation, never a loop.

use std::future::Future;

use crate::bounds::MAX_LIST_PAGES;
use crate::error::CliError;

/// One page: its items and the token of the next page (none, or empty,
/// on the last).
pub type Page<T> = (Vec<T>, Option<String>);

/// The items of every page of `operation`, asked for with `fetch(token)`;
/// `what` names the items in messages ("accounts").
pub async fn every_page<T, F, Fut>(
    operation: &'static str,
    what: &str,
    mut fetch: F,
) -> Result<Vec<T>, CliError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, CliError>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_LIST_PAGES {
        let (page, next) = fetch(token.clone()).await?;
        items.extend(page);
        match next {
            None => return Ok(items),
            Some(next) if next.is_empty() => return Ok(items),
            Some(next) if token.as_ref() == Some(&next) => {
                return Err(listing_error(
                    operation,
                    format!("a page said more {what} follow but did not advance past the last one"),
                ));
            }
            Some(next) => token = Some(next),
        }
    }
    Err(listing_error(
        operation,
        format!("the listing went past {MAX_LIST_PAGES} pages"),
    ))
}

/// A listing that misbehaves (255), named by its operation.
pub fn listing_error(operation: &str, what: String) -> CliError {
    CliError::failure(
        "ListingDidNotEnd",
        format!("{operation}: {what}; the endpoint is not behaving as the service does"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_page_is_read_with_the_token_of_the_one_before() {
        let pages = [
            (vec![1], Some("t1".to_owned())),
            (vec![], Some("t2".to_owned())),
            (vec![2, 3], Some(String::new())),
        ];
        let mut asked = Vec::new();
        let items = every_page("ListThings", "things", |token| {
            asked.push(token);
            let page = pages[asked.len() - 1].clone();
            async move { Ok(page) }
        })
        .await
        .unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(asked, [None, Some("t1".into()), Some("t2".into())]);
    }

    #[tokio::test]
    async fn a_page_that_does_not_advance_is_an_error() {
        let err = every_page::<u8, _, _>("ListAccounts", "accounts", |_| async {
            Ok((vec![], Some("same".to_owned())))
        })
        .await
        .unwrap_err();
        assert_eq!(err.code(), "ListingDidNotEnd");
        assert_eq!(
            err.message(),
            "ListAccounts: a page said more accounts follow but did not advance past the last one; \
             the endpoint is not behaving as the service does"
        );
    }

    #[tokio::test]
    async fn an_endless_listing_ends_at_the_bound() {
        let mut n = 0u64;
        let err = every_page::<u8, _, _>("ListRegions", "regions", |_| {
            n += 1;
            let next = n.to_string();
            async move { Ok((vec![], Some(next))) }
        })
        .await
        .unwrap_err();
        assert_eq!(n, MAX_LIST_PAGES as u64);
        assert_eq!(
            err.message(),
            "ListRegions: the listing went past 1000 pages; the endpoint is not behaving as the service does"
        );
    }

    #[tokio::test]
    async fn a_refused_page_ends_the_listing_with_its_error() {
        let err = every_page::<u8, _, _>("ListAccounts", "accounts", |_| async {
            Err(CliError::failure("Refused", "no"))
        })
        .await
        .unwrap_err();
        assert_eq!(err.code(), "Refused");
    }
}
