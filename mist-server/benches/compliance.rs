//! Compliance reports at hospital and national scale, with a deterministic data generator.
//!
//! ```sh
//! cargo bench -p mist-server --bench compliance                       # SQLite, a 5,000-staff hospital
//! MIST_BENCH_PG_URL=postgres://… cargo bench -p mist-server --bench compliance   # also PostgreSQL
//! MIST_BENCH_NATIONAL=8000:2000000 cargo bench -p mist-server --bench compliance # national: orgs:staff
//! MIST_BENCH_BACKENDS=postgres …                                        # one backend only
//! ```
//!
//! Hospital: 5,000 staff (tiers: everyone 初学者, 5 % administrators, 1 % executives; 20 departments,
//! 8 job types, 3 % contractors out of scope) with accounts, the built-in series (17 modules in three
//! courses), and three fiscal years of module completions, quiz attempts and lesson views. Measured:
//! roster import, this year's report (live), last year's report (closing the year, then read back
//! frozen), the streamed CSV (largest chunk, peak RSS) and the signed PDF.
//!
//! National: ORGS organizations and STAFF staff in total, each with an account and this year's
//! completions, loaded with multi-row inserts; then completion by prefecture and tier in one query.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may stop on a broken setup

use mist_core::portal::prefecture::PREFECTURE_NAMES;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use mist_core::Audience;
use mist_core::compliance::{EmploymentType, RosterEntry};
use mist_core::fiscal::FiscalYear;
use mist_server::app::prepare;
use mist_server::compliance::export::{CsvChunks, CsvEncoding, signed_pdf};
use mist_server::compliance::{ReportRequest, report, today_in_japan, year_range};
use mist_server::store::{NewOrganization, Store};
use mist_server::web::Config;
use sqlx::Connection;
use time::Duration;
use uuid::Uuid;

const STAFF: usize = 5_000;
const DEPARTMENTS: [&str; 20] = [
    "内科",
    "外科",
    "小児科",
    "産婦人科",
    "整形外科",
    "脳神経外科",
    "救急科",
    "放射線科",
    "麻酔科",
    "精神科",
    "1階病棟",
    "2階病棟",
    "3階病棟",
    "4階病棟",
    "5階病棟",
    "薬剤部",
    "検査部",
    "医事課",
    "総務課",
    "情報システム室",
];
const JOBS: [&str; 8] = [
    "医師",
    "看護師",
    "薬剤師",
    "臨床検査技師",
    "診療放射線技師",
    "理学療法士",
    "事務",
    "管理栄養士",
];

/// xorshift64*: the same data on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Rows per statement: at most 999 parameters (SQLite's classic limit; sqlx binds SQLite parameters in
/// time that grows with the statement's parameter count, so bigger statements are slower, not faster).
fn rows_per_statement(columns: usize) -> usize {
    999 / columns
}

fn values_sql(head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * columns * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..columns {
            if c > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", r * columns + c + 1));
        }
        sql.push(')');
    }
    sql
}

/// Multi-row INSERTs of `$rows` on either backend; `$bind` binds one row's values to `$q`.
macro_rules! bulk_insert {
    ($store:expr, $head:expr, $columns:expr, $rows:expr, |$q:ident, $row:ident| $bind:expr) => {{
        for chunk in $rows.chunks(rows_per_statement($columns)) {
            let sql = values_sql($head, $columns, chunk.len());
            match &$store {
                Store::Sqlite(pool) => {
                    let mut $q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for $row in chunk {
                        $q = $bind;
                    }
                    let mut tx = pool.begin().await.unwrap();
                    $q.execute(&mut *tx).await.unwrap();
                    tx.commit().await.unwrap();
                }
                Store::Postgres(pool) => {
                    let mut $q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for $row in chunk {
                        $q = $bind;
                    }
                    $q.execute(pool).await.unwrap();
                }
            }
        }
    }};
}

/// Peak resident memory of this process (VmHWM), in kB.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// A fresh database: SQLite in a temporary directory (`TMPDIR`), or a new PostgreSQL database.
struct Database {
    store: Store,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl Database {
    async fn open(backend: &str) -> Self {
        if backend == "sqlite" {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open_in(dir.path()).await.unwrap();
            return Self {
                store,
                _dir: Some(dir),
                pg_name: None,
            };
        }
        let admin_url = std::env::var("MIST_BENCH_PG_URL").unwrap();
        let name = format!("mist_bench_{}", Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let store = Store::open_url(&format!("{base}/{name}")).await.unwrap();
        Self {
            store,
            _dir: None,
            pg_name: Some(name),
        }
    }

    /// Drops a PostgreSQL database (the SQLite directory goes with `_dir`): generated data is large.
    async fn drop(self) {
        if let (Store::Postgres(pool), Some(name)) = (&self.store, &self.pg_name) {
            pool.close().await;
            let mut conn =
                sqlx::PgConnection::connect(&std::env::var("MIST_BENCH_PG_URL").unwrap())
                    .await
                    .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }
}

/// The catalogue (the built-in series) and an organization.
async fn setup(
    store: &Store,
    beds: i64,
    prefecture: &str,
) -> (mist_server::store::Organization, Vec<mist_core::Course>) {
    let data = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: data.path().to_path_buf(),
        ..Config::default()
    };
    prepare(store.clone(), "admin@bench.example", config, &[])
        .await
        .unwrap();
    let organization = store
        .create_organization(&NewOrganization {
            name: "ベンチ総合病院".into(),
            kind: "hospital".into(),
            licensed_beds: Some(beds),
            prefecture: prefecture.into(),
            insurance_code: None,
            join_code: format!("B{}", Uuid::new_v4().simple()),
        })
        .await
        .unwrap();
    (organization, store.courses().await.unwrap())
}

async fn insert_users(store: &Store, users: &[(Uuid, Uuid, String)]) {
    let now = mist_server::store::now();
    bulk_insert!(
        store,
        "INSERT INTO users (id, organization_id, email, display_name, role, active, created_at)",
        7,
        users,
        |q, u| q
            .bind(u.0)
            .bind(u.1)
            .bind(&u.2)
            .bind("職員")
            .bind("learner")
            .bind(true)
            .bind(now)
    );
}

/// A member of staff of the hospital: tiers, department, job, scope.
fn entry(rng: &mut Rng, i: usize) -> RosterEntry {
    let mut tiers = std::collections::BTreeSet::from([Audience::Staff]);
    if rng.chance(5) {
        tiers.insert(Audience::Administrator);
    }
    if rng.chance(1) {
        tiers.insert(Audience::Executive);
    }
    let contractor = rng.chance(3);
    RosterEntry {
        line: i + 2,
        staff_id: format!("S{i:06}"),
        name: format!("職員 {i}"),
        kana: None,
        email: Some(format!("staff{i}@bench.example")),
        department: DEPARTMENTS[rng.below(DEPARTMENTS.len())].to_owned(),
        job_type: JOBS[rng.below(JOBS.len())].to_owned(),
        employment_type: if contractor {
            EmploymentType::Contractor
        } else {
            EmploymentType::FullTime
        },
        in_scope: !contractor,
        tiers,
        joined_on: None,
        left_on: None,
    }
}

/// Module completions, quiz attempts and (this year) lesson views of three fiscal years.
async fn insert_records(
    store: &Store,
    rng: &mut Rng,
    people: &[(Uuid, RosterEntry)],
    courses: &[mist_core::Course],
) -> usize {
    let current = FiscalYear::containing(today_in_japan());
    let mut completions = Vec::new();
    let mut attempts = Vec::new();
    let mut views = Vec::new();
    for (year, percent) in [
        (current.previous().previous(), 96),
        (current.previous(), 92),
        (current, 65),
    ] {
        let (from, _) = year_range(year);
        for (user, entry) in people {
            for course in courses.iter().filter(|c| entry.tiers.contains(&c.audience)) {
                for module in course.modules.iter().filter(|m| m.required) {
                    if !rng.chance(percent) {
                        break;
                    }
                    let at = from
                        + Duration::days(rng.below(if year == current { 200 } else { 360 }) as i64);
                    completions.push((
                        *user,
                        course.id,
                        module.slug.as_str().to_owned(),
                        i64::from(year.start_year()),
                        at,
                    ));
                    attempts.push((
                        Uuid::new_v4(),
                        *user,
                        course.id,
                        module.slug.as_str().to_owned(),
                        at,
                        0.8 + rng.below(21) as f64 / 100.0,
                    ));
                    if year == current
                        && let Some(lesson) = module.lessons.first()
                    {
                        views.push((
                            *user,
                            course.id,
                            module.slug.as_str().to_owned(),
                            lesson.slug.as_str().to_owned(),
                            at,
                        ));
                    }
                }
            }
        }
    }
    let outcome = r#"{"completion":"completed","success":"passed","score":0.9,"explanation":[]}"#;
    bulk_insert!(
        store,
        "INSERT INTO module_completions (user_id, course_id, module_slug, fiscal_year, completed_at, outcome_json)",
        6,
        &completions,
        |q, c| q
            .bind(c.0)
            .bind(c.1)
            .bind(&c.2)
            .bind(c.3)
            .bind(c.4)
            .bind(outcome)
    );
    bulk_insert!(
        store,
        "INSERT INTO quiz_attempts (id, user_id, course_id, module_slug, seed, drawn_json, started_at, submitted_at, scaled, passed)",
        10,
        &attempts,
        |q, a| q
            .bind(a.0)
            .bind(a.1)
            .bind(a.2)
            .bind(&a.3)
            .bind(1_i64)
            .bind("[]")
            .bind(a.4)
            .bind(a.4)
            .bind(a.5)
            .bind(true)
    );
    bulk_insert!(
        store,
        "INSERT INTO lesson_views (user_id, course_id, module_slug, lesson_slug, first_viewed_at)",
        5,
        &views,
        |q, v| q.bind(v.0).bind(v.1).bind(&v.2).bind(&v.3).bind(v.4)
    );
    completions.len() + attempts.len() + views.len()
}

async fn hospital(backend: &str) {
    let database = Database::open(backend).await;
    let store = database.store.clone();
    let t = Instant::now();
    let (organization, courses) = setup(&store, 500, "徳島県").await;
    println!(
        "[{backend}] catalogue and organization: {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut rng = Rng(0x4d49_5354);
    let entries: Vec<RosterEntry> = (0..STAFF).map(|i| entry(&mut rng, i)).collect();
    let users: Vec<(Uuid, Uuid, String)> = entries
        .iter()
        .map(|e| (Uuid::new_v4(), organization.id, e.email.clone().unwrap()))
        .collect();
    let started = Instant::now();
    insert_users(&store, &users).await;
    let import = Instant::now();
    store
        .import_roster(organization.id, &entries, None)
        .await
        .unwrap();
    let import_ms = ms(import);
    let people: Vec<(Uuid, RosterEntry)> = users.iter().map(|u| u.0).zip(entries).collect();
    println!(
        "[{backend}] users and roster: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let rows = insert_records(&store, &mut rng, &people, &courses).await;
    println!(
        "[{backend}] generated {STAFF} staff, {} modules, {rows} learning rows in {:.1} s; roster import {import_ms:.0} ms",
        courses.iter().map(|c| c.modules.len()).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );

    let current = FiscalYear::containing(today_in_japan());
    let request = |year| ReportRequest {
        organization: &organization,
        year,
        today: today_in_japan(),
        generated_by: "bench",
    };
    let mut times = Vec::new();
    let mut this = None;
    for _ in 0..3 {
        let t = Instant::now();
        this = Some(report(&store, &courses, request(current)).await.unwrap());
        times.push(ms(t));
    }
    let this = this.unwrap();
    let t = Instant::now();
    let closed = report(&store, &courses, request(current.previous()))
        .await
        .unwrap();
    let close_ms = ms(t);
    let t = Instant::now();
    let frozen = report(&store, &courses, request(current.previous()))
        .await
        .unwrap();
    let frozen_ms = ms(t);
    assert!(frozen.header.frozen && frozen.people == closed.people);
    println!(
        "[{backend}] report {current} (live): {} ms (3 runs), {} people, completion {:.1}%",
        times
            .iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(" / "),
        this.people.len(),
        this.aggregates.total.percent().unwrap_or(0.0)
    );
    println!(
        "[{backend}] report {} first request (computes and freezes): {close_ms:.0} ms; frozen read: {frozen_ms:.0} ms; completion {:.1}%",
        current.previous(),
        closed.aggregates.total.percent().unwrap_or(0.0)
    );

    let report = Arc::new(this);
    let before = peak_rss_kb();
    let t = Instant::now();
    let (mut bytes, mut largest, mut chunks) = (0, 0, 0);
    for chunk in CsvChunks::new(report.clone(), CsvEncoding::ShiftJis) {
        bytes += chunk.len();
        largest = largest.max(chunk.len());
        chunks += 1;
    }
    println!(
        "[{backend}] CSV (Shift_JIS) {:.1} MB in {chunks} chunks, largest {:.0} kB, {:.0} ms; peak RSS {} → {} MB",
        bytes as f64 / 1e6,
        largest as f64 / 1e3,
        ms(t),
        before / 1024,
        peak_rss_kb() / 1024
    );
    let key = mist_core::certificate::SigningKey::from_bytes(&[7; 32]);
    let t = Instant::now();
    let pdf = signed_pdf(&report, &key, "https://lms.example.jp").unwrap();
    println!(
        "[{backend}] signed PDF {:.0} kB in {:.0} ms",
        pdf.pdf.len() as f64 / 1e3,
        ms(t)
    );
}

async fn national(backend: &str, orgs: usize, staff: usize) {
    let database = Database::open(backend).await;
    let store = database.store.clone();
    let (_, courses) = setup(&store, 500, "東京都").await;
    let staff_course = courses
        .iter()
        .find(|c| c.audience == Audience::Staff)
        .unwrap();
    let admin_course = courses
        .iter()
        .find(|c| c.audience == Audience::Administrator)
        .unwrap();
    let admin_required: Vec<&str> = admin_course
        .modules
        .iter()
        .filter(|m| m.required)
        .map(|m| m.slug.as_str())
        .collect();
    let required: Vec<&str> = staff_course
        .modules
        .iter()
        .filter(|m| m.required)
        .map(|m| m.slug.as_str())
        .collect();
    let mut rng = Rng(0x6e61_7469);
    let started = Instant::now();
    let now = mist_server::store::now();
    let organizations: Vec<(Uuid, String, usize)> = (0..orgs)
        .map(|i| {
            (
                Uuid::new_v4(),
                PREFECTURE_NAMES[rng.below(PREFECTURE_NAMES.len())].to_owned(),
                i,
            )
        })
        .collect();
    bulk_insert!(
        &store,
        "INSERT INTO organizations (id, name, kind, licensed_beds, prefecture, join_code, created_at)",
        7,
        &organizations,
        |q, o| q
            .bind(o.0)
            .bind(format!("病院 {}", o.2))
            .bind("hospital")
            .bind(200_i64 + (o.2 % 600) as i64)
            .bind(&o.1)
            .bind(format!("N{}", o.2))
            .bind(now)
    );
    let year = FiscalYear::containing(today_in_japan());
    let (from, _) = year_range(year);
    let per_org = staff / orgs;
    let mut loaded = 0;
    for batch in organizations.chunks(200) {
        let mut users = Vec::new();
        let mut members = Vec::new();
        let mut tiers = Vec::new();
        let mut completions = Vec::new();
        for (org, _, o) in batch {
            for i in 0..per_org {
                let (user, member) = (Uuid::new_v4(), Uuid::new_v4());
                let email = format!("s{o}-{i}@national.example");
                users.push((user, *org, email.clone()));
                members.push((
                    member,
                    *org,
                    format!("S{i:05}"),
                    email,
                    JOBS[rng.below(JOBS.len())],
                    DEPARTMENTS[rng.below(DEPARTMENTS.len())],
                    !rng.chance(3),
                ));
                tiers.push((member, "staff"));
                if rng.chance(5) {
                    tiers.push((member, "administrator"));
                    if rng.chance(60) {
                        for module in &admin_required {
                            completions.push((
                                user,
                                admin_course.id,
                                *module,
                                from + Duration::days(rng.below(200) as i64),
                            ));
                        }
                    }
                }
                let done = if rng.chance(70) {
                    required.len()
                } else {
                    rng.below(required.len())
                };
                for module in &required[..done] {
                    completions.push((
                        user,
                        staff_course.id,
                        *module,
                        from + Duration::days(rng.below(200) as i64),
                    ));
                }
            }
        }
        insert_users(&store, &users).await;
        bulk_insert!(
            &store,
            "INSERT INTO staff_members (id, organization_id, staff_id, name, email, department, job_type, employment_type, in_scope, updated_at)",
            10,
            &members,
            |q, m| q
                .bind(m.0)
                .bind(m.1)
                .bind(&m.2)
                .bind("職員")
                .bind(&m.3)
                .bind(m.5)
                .bind(m.4)
                .bind("full_time")
                .bind(m.6)
                .bind(now)
        );
        bulk_insert!(
            &store,
            "INSERT INTO staff_tiers (staff_member_id, tier)",
            2,
            &tiers,
            |q, t| q.bind(t.0).bind(t.1)
        );
        bulk_insert!(
            &store,
            "INSERT INTO module_completions (user_id, course_id, module_slug, fiscal_year, completed_at, outcome_json)",
            6,
            &completions,
            |q, c| q
                .bind(c.0)
                .bind(c.1)
                .bind(c.2)
                .bind(i64::from(year.start_year()))
                .bind(c.3)
                .bind("{}")
        );
        loaded += users.len() + members.len() + tiers.len() + completions.len();
    }
    println!(
        "[{backend}] national: {orgs} organizations, {} staff, {loaded} rows loaded in {:.0} s",
        per_org * orgs,
        started.elapsed().as_secs_f64()
    );
    // The required module count per course, for the query.
    match &store {
        Store::Sqlite(pool) => {
            sqlx::query("CREATE TABLE bench_required (course_id BLOB PRIMARY KEY, required INTEGER NOT NULL)").execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::query("CREATE TABLE bench_required (course_id UUID PRIMARY KEY, required BIGINT NOT NULL)").execute(pool).await.unwrap();
        }
    }
    let counts: Vec<(Uuid, i64)> = courses
        .iter()
        .map(|c| (c.id, c.modules.iter().filter(|m| m.required).count() as i64))
        .collect();
    bulk_insert!(
        &store,
        "INSERT INTO bench_required (course_id, required)",
        2,
        &counts,
        |q, c| q.bind(c.0).bind(c.1)
    );
    let query = "SELECT o.prefecture, t.tier, COUNT(*), SUM(CASE WHEN COALESCE(d.done, 0) >= r.required THEN 1 ELSE 0 END)
        FROM staff_members s
        JOIN organizations o ON o.id = s.organization_id
        JOIN staff_tiers t ON t.staff_member_id = s.id
        JOIN courses c ON c.audience = t.tier
        JOIN bench_required r ON r.course_id = c.id
        LEFT JOIN users u ON u.email = s.email AND u.organization_id = s.organization_id
        LEFT JOIN (SELECT user_id, course_id, COUNT(*) AS done FROM module_completions WHERE fiscal_year = $1 GROUP BY user_id, course_id) d
               ON d.user_id = u.id AND d.course_id = c.id
        WHERE s.in_scope = $2
        GROUP BY o.prefecture, t.tier ORDER BY o.prefecture, t.tier";
    let fy = i64::from(year.start_year());
    for run in 1..=2 {
        let t = Instant::now();
        let rows: Vec<(String, String, i64, i64)> = match &store {
            Store::Sqlite(pool) => sqlx::query_as(query)
                .bind(fy)
                .bind(true)
                .fetch_all(pool)
                .await
                .unwrap(),
            Store::Postgres(pool) => sqlx::query_as(query)
                .bind(fy)
                .bind(true)
                .fetch_all(pool)
                .await
                .unwrap(),
        };
        let (counted, complete) = rows.iter().fold((0, 0), |(a, b), r| (a + r.2, b + r.3));
        println!(
            "[{backend}] national completion by prefecture × tier (run {run}): {} groups, {counted} counted, {:.1}% complete, {:.0} ms",
            rows.len(),
            complete as f64 * 100.0 / counted.max(1) as f64,
            ms(t)
        );
        if run == 2 {
            for r in rows.iter().filter(|r| r.0 == "東京都" || r.0 == "徳島県") {
                println!(
                    "    {} {}: {}/{} ({:.1}%)",
                    r.0,
                    r.1,
                    r.3,
                    r.2,
                    r.3 as f64 * 100.0 / r.2.max(1) as f64
                );
            }
        }
    }
    database.drop().await;
}

#[tokio::main]
async fn main() {
    let mut backends = vec!["sqlite"];
    if std::env::var("MIST_BENCH_PG_URL").is_ok() {
        backends.push("postgres");
    }
    // MIST_BENCH_BACKENDS=postgres runs one backend only (the national load takes minutes each).
    if let Ok(only) = std::env::var("MIST_BENCH_BACKENDS") {
        backends.retain(|b| only.split(',').any(|o| o == *b));
    }
    let national_scale = std::env::var("MIST_BENCH_NATIONAL").ok().map(|v| {
        let (orgs, staff) = v.split_once(':').expect("MIST_BENCH_NATIONAL=ORGS:STAFF");
        (
            usize::from_str(orgs).unwrap(),
            usize::from_str(staff).unwrap(),
        )
    });
    for backend in backends {
        match national_scale {
            Some((orgs, staff)) => national(backend, orgs, staff).await,
            None => hospital(backend).await,
        }
    }
}
