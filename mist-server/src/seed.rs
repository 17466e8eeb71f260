//! First start: the demo hospital and the first administrator, who gets a one-time sign-in link.

pub mod portal;

use time::Duration;

use crate::secret::{new_token, token_hash};
use crate::store::people::LoginLink;
use crate::store::{LinkPurpose, NewOrganization, Role, Store, StoreError};

/// How long the first administrator's sign-in link stays valid.
pub const FIRST_LINK_LIFETIME: Duration = Duration::hours(24);

/// What the first start created.
#[derive(Debug)]
pub struct FirstStart {
    /// The one-time sign-in token of the administrator (append to `/links/`).
    pub sign_in_token: String,
    /// The demo hospital's sign-up code.
    pub demo_join_code: String,
}

/// Seeds an empty database: a demo hospital and an administrator with a one-time sign-in link.
/// Returns `None` when people already exist (not a first start), also when another server process won
/// the race to seed the same PostgreSQL database.
pub async fn first_start(
    store: &Store,
    admin_email: &str,
) -> Result<Option<FirstStart>, SeedError> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let join_code = join_code()?;
    let organization = NewOrganization {
        name: "MIST デモ病院".into(),
        kind: "hospital".into(),
        licensed_beds: Some(400),
        prefecture: "東京都".into(),
        insurance_code: None,
        join_code: join_code.clone(),
    };
    let admin = match store
        .create_user(None, admin_email, "MIST 管理者", None, Role::Admin, None)
        .await
    {
        Ok(admin) => admin,
        Err(e) if e.is_unique_violation() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let organization = store.create_organization(&organization).await?;
    demo_live_sessions(store).await?;
    demo_roster(store, organization.id).await?;
    let token = new_token().map_err(|e| SeedError::Randomness(e.to_string()))?;
    let link = LoginLink {
        user_id: Some(admin.id),
        organization_id: None,
        role: None,
        email: None,
    };
    store
        .create_link(
            &token_hash(&token),
            LinkPurpose::SignIn,
            &link,
            FIRST_LINK_LIFETIME,
        )
        .await?;
    Ok(Some(FirstStart {
        sign_in_token: token,
        demo_join_code: join_code,
    }))
}

/// The demo hospital's staff roster (fictional people, no accounts), so that the compliance dashboard
/// shows something on a fresh server: tiers, departments, a contractor out of scope and a leaver.
const DEMO_ROSTER: &str = "職員番号,氏名,カナ,部署,職種,雇用形態,対象,階層,入職日,退職日
D001,院長 A(架空),インチョウ エー,院長室,医師,常勤,対象,経営者;初学者,2015-04-01,
D002,情報担当 B(架空),ジョウホウタントウ ビー,情報システム室,事務,常勤,対象,管理者;初学者,2018-04-01,
D003,看護師 C(架空),カンゴシ シー,3階病棟,看護師,常勤,対象,初学者,2020-04-01,
D004,薬剤師 D(架空),ヤクザイシ ディー,薬剤部,薬剤師,非常勤,対象,初学者,2022-10-01,
D005,医事 E(架空),イジ イー,医事課,事務,常勤,対象,初学者,2019-04-01,2025-09-30
D006,保守 F(架空),ホシュ エフ,情報システム室,技師,委託,対象外,管理者,2023-04-01,
";

async fn demo_roster(store: &Store, organization: uuid::Uuid) -> Result<(), SeedError> {
    let roster = mist_core::compliance::roster::parse(DEMO_ROSTER.as_bytes());
    if roster.is_valid() {
        store
            .import_roster(organization, &roster.entries, None)
            .await?;
    }
    Ok(())
}

/// A new organization code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
pub fn join_code() -> Result<String, SeedError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).map_err(|e| SeedError::Randomness(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// Seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No randomness for tokens.
    #[error("no randomness available: {0}")]
    Randomness(String),
    /// Demo files could not be written.
    #[error("demo files: {0}")]
    Files(String),
}

// Live training sessions (オンライン研修): demo sessions shaped like the FY2022 programme (executives:
// the same content on two dates; administrators: a numbered series of different content and a
// beginner-level session; medical staff: the same content on two dates), and one past session with
// its recording. Instructors, links and keywords are fictional examples.

/// `days` from today at `hour`:00 in Japan, in UTC.
fn jst_at(days: i64, hour: u8) -> time::OffsetDateTime {
    let today = crate::store::now().to_offset(mist_core::live::JST).date();
    let date = today.checked_add(Duration::days(days)).unwrap_or(today);
    let time = time::Time::from_hms(hour, 0, 0).unwrap_or(time::Time::MIDNIGHT);
    date.with_time(time)
        .assume_offset(mist_core::live::JST)
        .to_offset(time::UtcOffset::UTC)
}

/// A demo session; texts are (Japanese, English).
#[derive(Clone, Copy)]
struct DemoSession {
    audience: mist_core::Audience,
    programme: &'static str,
    part: Option<i64>,
    title: (&'static str, &'static str),
    description: (&'static str, &'static str),
    instructor: &'static str,
    /// Days from today; the session starts at `hour`:00 JST.
    days: i64,
    hour: u8,
    minutes: i64,
    capacity: i64,
    /// The built-in module whose questions make the comprehension check.
    quiz: Option<(&'static str, &'static str)>,
    /// The recording of a past session, shown to every signed-in person.
    archive: Option<&'static str>,
}

const EXECUTIVES: DemoSession = DemoSession {
    audience: mist_core::Audience::Executive,
    programme: "経営者向け研修",
    part: None,
    title: (
        "ランサムウェア被害の事例と、経営者がいま取り組むべきこと",
        "Ransomware cases, and what executives must do now",
    ),
    description: (
        "医療機関で報告された事例をもとに、セキュリティ対策がなぜ経営課題なのか、経営者に求められる認識と知識を解説します(各回同じ内容です)。",
        "Reported cases at medical institutions: why security is a management issue, and the awareness and knowledge executives need (every date covers the same content).",
    ),
    instructor: "講師 A",
    days: 14,
    hour: 14,
    minutes: 60,
    capacity: 100,
    quiz: None,
    archive: None,
};

const ADMINISTRATORS: DemoSession = DemoSession {
    audience: mist_core::Audience::Administrator,
    programme: "システム・セキュリティ管理者向け研修",
    part: Some(1),
    title: (
        "事例から学ぶ設定と対応",
        "Settings and responses learned from cases",
    ),
    description: (
        "インシデント事例から、同じ被害を繰り返さないための設定と対応を学びます。",
        "Settings and responses from incident cases, so that the same incident does not recur.",
    ),
    instructor: "講師 B",
    days: 10,
    hour: 15,
    minutes: 90,
    capacity: 50,
    quiz: Some(("administrator", "s1-basics-recent-threats")),
    archive: None,
};

const STAFF: DemoSession = DemoSession {
    audience: mist_core::Audience::Staff,
    programme: "初学者・医療従事者向け研修",
    part: None,
    title: (
        "インシデントは身近に。システムや機器を使うときにいまできる備え",
        "Incidents are close to home: preparations you can make now when using systems and devices",
    ),
    description: (
        "初学者・医療従事者向けに、日常業務での注意点とインターネットや機器の利用時の注意を解説します(各回同じ内容です)。",
        "For beginners and medical staff: everyday habits and cautions for internet and device use (every date covers the same content).",
    ),
    instructor: "講師 C",
    days: 7,
    hour: 13,
    minutes: 60,
    capacity: 200,
    quiz: Some(("staff", "b1-what-happens-in-an-attack")),
    archive: None,
};

const DEMO_SESSIONS: [DemoSession; 9] = [
    EXECUTIVES,
    DemoSession {
        days: 42,
        ..EXECUTIVES
    },
    ADMINISTRATORS,
    DemoSession {
        part: Some(2),
        title: (
            "既存のIT資産を活用したセキュリティ(Active Directory 入門)",
            "Security with existing IT assets (an introduction to Active Directory)",
        ),
        description: (
            "認証と認可の基本、Active Directory の役割と設定の考え方を学びます。",
            "Authentication and authorisation basics, and the role and settings of Active Directory.",
        ),
        days: 17,
        quiz: None,
        ..ADMINISTRATORS
    },
    DemoSession {
        part: Some(3),
        title: (
            "特権ID管理と、インシデント発生に備えた準備",
            "Privileged-access management and preparing for incidents",
        ),
        description: (
            "特権IDの管理と、インシデント発生時の初動に備えた準備のあり方を学びます。",
            "Managing privileged accounts, and preparing the first response to an incident.",
        ),
        days: 24,
        quiz: None,
        ..ADMINISTRATORS
    },
    DemoSession {
        programme: "システム・セキュリティ管理者向け研修(初級)",
        part: None,
        title: (
            "OSとセキュリティの基礎(初級)",
            "OS and security fundamentals (beginner level)",
        ),
        description: (
            "これから情報システムを担当する方向けに、OSとセキュリティの基礎を解説します。",
            "For people new to running information systems: OS and security fundamentals.",
        ),
        instructor: "講師 C",
        days: 21,
        hour: 10,
        minutes: 60,
        capacity: 80,
        quiz: None,
        ..ADMINISTRATORS
    },
    STAFF,
    DemoSession { days: 35, ..STAFF },
    DemoSession {
        days: -30,
        archive: Some("https://video.example.jp/mist/archive/staff-01"),
        ..STAFF
    },
];

/// Seeds the demo sessions.
async fn demo_live_sessions(store: &Store) -> Result<(), StoreError> {
    for (index, demo) in DEMO_SESSIONS.iter().enumerate() {
        let starts_at = jst_at(demo.days, demo.hour);
        let fields = crate::store::live::SessionFields {
            audience: demo.audience,
            programme: Some(demo.programme.to_owned()),
            part: demo.part,
            title: (demo.title.0.to_owned(), demo.title.1.to_owned()),
            description: (demo.description.0.to_owned(), demo.description.1.to_owned()),
            instructor: demo.instructor.to_owned(),
            starts_at,
            duration_minutes: demo.minutes,
            capacity: demo.capacity,
            registration_deadline: starts_at - Duration::days(2),
            meeting_url: format!("https://meet.example.jp/mist/demo-{index}"),
            attendance_keyword: Some("まもる".to_owned()),
            quiz: demo
                .quiz
                .map(|(course, module)| (course.to_owned(), module.to_owned(), 5)),
            archive_url: demo.archive.map(str::to_owned),
            archive_public: demo.archive.is_some(),
        };
        store.create_live_session(None, &fields).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_roster_is_valid() {
        let roster = mist_core::compliance::roster::parse(super::DEMO_ROSTER.as_bytes());
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
        assert_eq!(roster.entries.len(), 6);
    }
}
