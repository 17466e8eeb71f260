//! The JSON API: bearer tokens, problem details, and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mist_server::secret::token_hash;
use mist_server::store::Role;

use crate::web::{get, portal, send};

#[tokio::test]
async fn the_api_takes_bearer_tokens_and_answers_problems() {
    let (app, store, _, _dir) = portal().await;
    let anonymous = get(&app, "/api/v1/me", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    let problem: serde_json::Value = serde_json::from_str(&anonymous.body).unwrap();
    assert_eq!(problem["status"], 401);

    let user = store
        .create_user(
            None,
            "robot@example.jp",
            "連携ツール",
            None,
            Role::Manager,
            None,
        )
        .await
        .unwrap();
    store
        .create_api_token(user.id, "test", &token_hash("tok-123"))
        .await
        .unwrap();
    let authorized = |uri: &str, token: &str| {
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let me = send(&app, authorized("/api/v1/me", "tok-123")).await;
    assert_eq!(me.status, StatusCode::OK);
    let me: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    assert_eq!(
        (me["email"].as_str(), me["role"].as_str()),
        (Some("robot@example.jp"), Some("manager"))
    );
    assert_eq!(
        send(&app, authorized("/api/v1/me", "wrong")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let courses = send(&app, authorized("/api/v1/courses", "tok-123")).await;
    let courses: serde_json::Value = serde_json::from_str(&courses.body).unwrap();
    assert_eq!(courses["courses"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn every_documented_path_is_served() {
    let (app, store, _, _dir) = portal().await;
    let user = store
        .create_user(None, "doc@example.jp", "doc", None, Role::Admin, None)
        .await
        .unwrap();
    store
        .create_api_token(user.id, "doc", &token_hash("doc-token"))
        .await
        .unwrap();
    let doc = get(&app, "/api/openapi.json", None).await;
    let doc: serde_json::Value = serde_json::from_str(&doc.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for (path, operations) in paths {
        if operations.get("get").is_some() && !path.contains('{') {
            let request = Request::get(format!("/api/v1{path}"))
                .header(header::AUTHORIZATION, "Bearer doc-token")
                .body(Body::empty())
                .unwrap();
            assert_eq!(send(&app, request).await.status, StatusCode::OK, "{path}");
        }
    }
}
