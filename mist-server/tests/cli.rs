//! The `mist` command line as a user runs it: exit codes, messages and JSON.

use std::path::Path;
use std::process::{Command, Output};

fn mist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(args)
        .output()
        .expect("run mist")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn init_writes_a_course_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("my-course");
    let path = course.to_str().unwrap();
    assert_eq!(mist(&["course", "init", path]).status.code(), Some(0));
    let check = mist(&["course", "check", path]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("ok: 1 courses, 1 modules, 3 questions"),
        "{}",
        stdout(&check)
    );
    // A second init must not overwrite the author's work.
    assert_eq!(mist(&["course", "init", path]).status.code(), Some(2));
}

#[test]
fn check_reports_located_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("broken");
    let path = course.to_str().unwrap();
    assert!(mist(&["course", "init", path]).status.success());
    let module = course.join("first-module/module.toml");
    let text = std::fs::read_to_string(&module)
        .unwrap()
        .replace("minutes = 10", "minuts = 10");
    std::fs::write(&module, text).unwrap();
    std::fs::remove_file(course.join("first-module/lessons/red-flags.en.md")).unwrap();

    let human = mist(&["course", "check", path]);
    assert_eq!(human.status.code(), Some(1));
    let out = stdout(&human);
    assert!(
        out.contains("first-module/module.toml:3:1: error[unknown-key]: unknown key `minuts`"),
        "{out}"
    );
    assert!(
        out.contains("red-flags.en.md:1:1: error[missing-file]"),
        "{out}"
    );

    let json = mist(&["course", "check", path, "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 2);
    assert_eq!(report["diagnostics"][0]["code"], "unknown-key");
    assert_eq!(report["diagnostics"][0]["line"], 3);
    assert!(report["diagnostics"][0]["hint"].is_string());
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        mist(&["course", "check", "/nonexistent/mist-course"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(mist(&["course", "frobnicate"]).status.code(), Some(2));
    assert_eq!(mist(&["course", "check"]).status.code(), Some(2));
}

#[test]
fn list_prints_the_builtin_series_as_json() {
    let output = mist(&["course", "list", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listing: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        listing["series"]["title"]["en"],
        "MIST: Medical Information Security Training"
    );
    let courses = listing["courses"].as_array().unwrap();
    let tiers: Vec<&str> = courses
        .iter()
        .map(|c| c["audience"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, ["executive", "administrator", "staff"]);
    for course in courses {
        for module in course["modules"].as_array().unwrap() {
            assert!(
                module["slug"].is_string()
                    && module["title"]["ja"].is_string()
                    && module["title"]["en"].is_string()
            );
            assert!(module["questions"].as_u64().unwrap() >= 8, "{module}");
        }
    }
}

#[test]
fn list_reads_a_directory_too() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("ward-course");
    assert!(
        mist(&["course", "init", course.to_str().unwrap()])
            .status
            .success()
    );
    let output = mist(&["course", "list", course.to_str().unwrap(), "--json"]);
    let listing: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listing["courses"][0]["slug"], "ward-course");
    assert!(Path::new(&course).join("course.toml").exists());
}

#[tokio::test]
async fn api_tokens_are_created_listed_and_revoked_from_the_command_line() {
    use mist_server::secret::token_hash;
    use mist_server::store::{Role, Store};

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).await.unwrap();
    store
        .create_user(None, "ops@example.jp", "運用", None, Role::Manager, None)
        .await
        .unwrap();
    let data = dir.path().to_str().unwrap();

    let created = mist(&[
        "token",
        "create",
        "--data-dir",
        data,
        "--user",
        "OPS@example.jp",
        "--name",
        "nightly",
    ]);
    assert_eq!(
        created.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let token = stdout(&created).trim().to_owned();
    assert_eq!(token.len(), 64);
    let user = store
        .api_token_user(&token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "ops@example.jp");

    let listed = stdout(&mist(&[
        "token",
        "list",
        "--data-dir",
        data,
        "--user",
        "ops@example.jp",
    ]));
    assert!(
        listed.contains("active") && listed.contains("nightly"),
        "{listed}"
    );
    let id = listed.split_whitespace().next().unwrap();
    assert_eq!(
        mist(&["token", "revoke", "--data-dir", data, id])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        mist(&["token", "revoke", "--data-dir", data, id])
            .status
            .code(),
        Some(1)
    );
    assert!(
        store
            .api_token_user(&token_hash(&token))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        mist(&[
            "token",
            "create",
            "--data-dir",
            data,
            "--user",
            "nobody@example.jp"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn scorm_check_reports_like_moodle_with_exit_codes() {
    let Some(shared) = crate::support::shared_dir() else {
        return;
    };
    let golf = shared.join("fixtures/golf");
    let path = |name: &str| golf.join(name).to_str().unwrap().to_owned();
    let accepted = mist(&[
        "scorm",
        "check",
        &path("RuntimeMinimumCalls_SCORM12.zip"),
        "--json",
    ]);
    assert_eq!(accepted.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&accepted.stdout).unwrap();
    assert_eq!(report["scorm_version"], "1.2");
    assert_eq!(report["scos"], 18);
    assert!(
        report["organizations"][0]["items"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
    for key in ["title", "assets", "diagnostics"] {
        assert!(report.get(key).is_some(), "{key}");
    }

    let nested = mist(&["scorm", "check", &path("badscorm.zip")]);
    assert_eq!(nested.status.code(), Some(1));
    let out = stdout(&nested);
    assert!(
        out.contains("package.manifest_nested")
            && out.contains("hint:")
            && out.ends_with("rejected\n"),
        "{out}"
    );

    let warnings = mist(&["scorm", "check", &path("complexscorm.zip")]);
    assert_eq!(warnings.status.code(), Some(0), "accepted with warnings");
    assert!(stdout(&warnings).contains("warning[organization.default_missing]"));
    assert_eq!(
        mist(&["scorm", "check", "/nonexistent/package.zip"])
            .status
            .code(),
        Some(2)
    );
}
