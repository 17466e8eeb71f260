//! Managers run their own organization's staff; administrators run organizations. Every handler checks
//! that the person acted on belongs to the manager's organization.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::{Extension, Form};
use serde::Deserialize;
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use super::i18n::Lang;
use super::learn::current_fiscal_year;
use super::render::{Page, render, text};
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::secret::{new_token, token_hash};
use crate::seed::join_code;
use crate::store::people::LoginLink;
use crate::store::{LinkPurpose, NewOrganization, Organization, Role, User};

const INVITATION_LIFETIME: Duration = Duration::days(14);
const RESET_LIFETIME: Duration = Duration::hours(24);

/// The organization a manager manages.
pub(super) async fn managed_organization(
    state: &AppState,
    viewer: &SignedIn,
) -> Result<Organization, AppError> {
    let manager = viewer.require(Role::Manager)?;
    let id = manager.organization_id.ok_or(AppError::Forbidden)?;
    state
        .store
        .organization(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A person the viewer may manage: in the manager's organization (administrators: anyone).
async fn managed_user(state: &AppState, viewer: &SignedIn, id: Uuid) -> Result<User, AppError> {
    let manager = viewer.require(Role::Manager)?;
    let user = state.store.user(id).await?.ok_or(AppError::NotFound)?;
    let allowed = manager.role == Role::Admin
        || (user.organization_id.is_some() && user.organization_id == manager.organization_id);
    // Another organization's people look like nobody at all.
    if allowed && user.role <= manager.role {
        Ok(user)
    } else {
        Err(AppError::NotFound)
    }
}

/// Who a one-time link is for; it is queued in the outbox for them (no mail server is assumed, so the
/// page that made it shows it too).
struct Recipient<'a> {
    organization: Option<Uuid>,
    email: &'a str,
    subject: &'a str,
}

/// Issues a one-time link (`{public_url}/{path}/{token}`) and queues it for its recipient.
async fn issue_link(
    state: &AppState,
    purpose: LinkPurpose,
    link: &LoginLink,
    lifetime: Duration,
    path: &str,
    to: Recipient<'_>,
) -> Result<String, AppError> {
    let token = new_token().map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .create_link(&token_hash(&token), purpose, link, lifetime)
        .await?;
    let url = format!("{}/{path}/{token}", state.config.public_url);
    state
        .store
        .queue_message(to.organization, to.email, to.subject, &url)
        .await?;
    Ok(url)
}

/// Invites `email` into `organization` with `role`; returns the link.
async fn invitation(
    state: &AppState,
    organization: &Organization,
    email: &str,
    role: Role,
    subject: &str,
) -> Result<String, AppError> {
    let link = LoginLink {
        user_id: None,
        organization_id: Some(organization.id),
        role: Some(role.as_str().into()),
        email: Some(email.to_owned()),
    };
    let to = Recipient {
        organization: Some(organization.id),
        email,
        subject,
    };
    issue_link(
        state,
        LinkPurpose::Invitation,
        &link,
        INVITATION_LIFETIME,
        "join",
        to,
    )
    .await
}

/// `GET /manage`: staff, their progress this fiscal year, invitations and the outbox.
pub async fn manage(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    manage_page(&state, lang, &viewer, &organization, None).await
}

async fn manage_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    organization: &Organization,
    notice: Option<Value>,
) -> Page {
    let year = current_fiscal_year();
    let staff = state.store.organization_users(organization.id).await?;
    let courses = state.courses().await?;
    let done: HashMap<(Uuid, Uuid), i64> = state
        .store
        .organization_completions(organization.id, year)
        .await?
        .into_iter()
        .map(|(u, c, n)| ((u, c), n))
        .collect();
    let enrolled = state
        .store
        .organization_enrollments(organization.id)
        .await?;
    let rows: Vec<Value> = staff
        .iter()
        .map(|person| {
            let progress: Vec<Value> = courses
                .iter()
                .filter(|c| enrolled.contains(&(person.id, c.id)))
                .map(|c| {
                    let required = c.modules.iter().filter(|m| m.required).count();
                    let completed = done.get(&(person.id, c.id)).copied().unwrap_or(0);
                    json!({ "course": text(state, lang, &c.title), "done": completed, "of": required })
                })
                .collect();
            json!({ "id": person.id, "name": person.display_name, "email": person.email, "role": person.role, "active": person.active, "progress": progress })
        })
        .collect();
    let outbox: Vec<Value> = state
        .store
        .outbox(organization.id)
        .await?
        .into_iter()
        .take(20)
        .map(|(to, subject, body, _)| json!({ "to": to, "subject": subject, "body": body }))
        .collect();
    let page = json!({
        "organization": organization, "fiscal_year": year.era_label(), "fiscal_year_en": year.to_string(),
        "staff": rows, "outbox": outbox, "notice": notice,
        "courses": courses.iter().map(|c| json!({ "slug": c.slug, "title": text(state, lang, &c.title), "audience": audience_name(lang, c.audience) })).collect::<Vec<_>>(),
        "exports": courses.iter().filter(|c| c.modules.iter().all(|m| m.launch.is_none())).map(|c| json!({ "slug": c.slug, "title": text(state, lang, &c.title) })).collect::<Vec<_>>(), "can_invite_managers": viewer.0.role >= Role::Manager,
    });
    render(state, "manage.html", lang, "/manage", Some(viewer), page)
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    role: String,
}

fn audience_name(lang: Lang, audience: mist_core::Audience) -> &'static str {
    let (ja, en) = audience.label();
    lang.pick(ja, en)
}

/// `POST /manage/invitations`: an invitation link for a new member of staff, shown to the manager and
/// queued in the outbox (no mail server is assumed).
pub async fn invite(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<InviteForm>,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    let email = form.email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(AppError::BadRequest(
            lang.pick(
                "メールアドレスが正しくありません。",
                "The email address is not valid.",
            )
            .into(),
        ));
    }
    let role = match form.role.as_str() {
        "manager" => Role::Manager,
        _ => Role::Learner,
    };
    let subject = format!("MIST: {} への招待 / invitation", organization.name);
    let url = invitation(&state, &organization, &email, role, &subject).await?;
    manage_page(
        &state,
        lang,
        &viewer,
        &organization,
        Some(
            json!({ "label": lang.pick("招待リンク", "Invitation link"), "to": email, "url": url }),
        ),
    )
    .await
}

#[derive(Deserialize)]
pub struct AssignForm {
    course: String,
    /// A person's id, or `all` for every active member of staff.
    person: String,
}

/// `POST /manage/assignments`: assigns a course (an audience tier's training) to one person or to all
/// active staff of the manager's organization; assigning twice changes nothing.
pub async fn assign(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<AssignForm>,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    let course = state
        .course(&form.course)
        .await?
        .ok_or(AppError::NotFound)?;
    let people: Vec<User> = if form.person == "all" {
        state
            .store
            .organization_users(organization.id)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .collect()
    } else {
        let id = form
            .person
            .parse::<Uuid>()
            .map_err(|_| AppError::NotFound)?;
        vec![managed_user(&state, &viewer, id).await?]
    };
    for person in &people {
        state.store.enroll(person.id, course.id).await?;
    }
    let label = match lang {
        Lang::Ja => format!(
            "「{}」を {} 人に割り当てました",
            text(&state, lang, &course.title),
            people.len()
        ),
        Lang::En => format!(
            "Assigned “{}” to {} people",
            text(&state, lang, &course.title),
            people.len()
        ),
    };
    manage_page(
        &state,
        lang,
        &viewer,
        &organization,
        Some(json!({ "label": label, "to": null, "url": null })),
    )
    .await
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: bool,
}

/// `POST /manage/users/{id}/active`: deactivates (ending their sessions) or reactivates a person.
pub async fn set_active(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<ActiveForm>,
) -> Page {
    let user = managed_user(&state, &viewer, id).await?;
    if user.id == viewer.0.id {
        return Err(AppError::BadRequest(
            lang.pick(
                "自分自身は無効にできません。",
                "You cannot deactivate yourself.",
            )
            .into(),
        ));
    }
    state.store.set_user_active(user.id, form.active).await?;
    let organization = managed_organization(&state, &viewer).await?;
    manage_page(&state, lang, &viewer, &organization, None).await
}

/// `POST /manage/users/{id}/reset`: a one-time password reset link, shown to the manager to hand over.
pub async fn reset_link(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    let user = managed_user(&state, &viewer, id).await?;
    let link = LoginLink {
        user_id: Some(user.id),
        organization_id: None,
        role: None,
        email: None,
    };
    let to = Recipient {
        organization: user.organization_id,
        email: &user.email,
        subject: "MIST: パスワード再設定 / password reset",
    };
    let url = issue_link(
        &state,
        LinkPurpose::PasswordReset,
        &link,
        RESET_LIFETIME,
        "reset",
        to,
    )
    .await?;
    let organization = managed_organization(&state, &viewer).await?;
    manage_page(&state, lang, &viewer, &organization, Some(json!({ "label": lang.pick("パスワード再設定リンク", "Password reset link"), "to": user.email, "url": url }))).await
}

/// `GET /admin`: organizations.
pub async fn admin(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    viewer.require(Role::Admin)?;
    admin_page(&state, lang, &viewer, None).await
}

async fn admin_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    notice: Option<Value>,
) -> Page {
    let organizations = state.store.organizations().await?;
    render(
        state,
        "admin.html",
        lang,
        "/admin",
        Some(viewer),
        json!({ "organizations": organizations, "notice": notice }),
    )
}

#[derive(Deserialize)]
pub struct OrganizationForm {
    name: String,
    kind: String,
    licensed_beds: Option<String>,
    prefecture: String,
    insurance_code: Option<String>,
    manager_email: String,
}

const KINDS: [&str; 9] = [
    "hospital",
    "clinic",
    "dental",
    "midwifery",
    "pharmacy",
    "home_nursing",
    "care",
    "network_operator",
    "other",
];

/// `POST /admin/organizations`: a new organization and an invitation for its first manager.
pub async fn create_organization(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<OrganizationForm>,
) -> Page {
    viewer.require(Role::Admin)?;
    let bad = |ja: &str, en: &str| AppError::BadRequest(lang.pick(ja, en).to_owned());
    let name = form.name.trim();
    if name.is_empty() || form.prefecture.trim().is_empty() {
        return Err(bad(
            "施設名と都道府県を入力してください。",
            "Enter the facility name and prefecture.",
        ));
    }
    if !KINDS.contains(&form.kind.as_str()) {
        return Err(bad(
            "施設種別が正しくありません。",
            "Unknown facility type.",
        ));
    }
    let licensed_beds = match form
        .licensed_beds
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        Some(beds) => Some(
            beds.parse::<i64>()
                .ok()
                .filter(|b| (0..=100_000).contains(b))
                .ok_or_else(|| {
                    bad(
                        "許可病床数が正しくありません。",
                        "Licensed beds must be a number.",
                    )
                })?,
        ),
        None => None,
    };
    let insurance_code = form
        .insurance_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    if insurance_code
        .as_ref()
        .is_some_and(|c| c.len() != 10 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad(
            "保険医療機関コードは10桁の数字です。",
            "The insurance institution code has 10 digits.",
        ));
    }
    let new = NewOrganization {
        name: name.to_owned(),
        kind: form.kind.clone(),
        licensed_beds,
        prefecture: form.prefecture.trim().to_owned(),
        insurance_code,
        join_code: join_code().map_err(|e| AppError::Internal(e.to_string()))?,
    };
    let organization = state.store.create_organization(&new).await?;
    let email = form.manager_email.trim().to_lowercase();
    let subject = "MIST: 管理者としての招待 / manager invitation";
    let url = invitation(&state, &organization, &email, Role::Manager, subject).await?;
    admin_page(&state, lang, &viewer, Some(json!({ "label": lang.pick("管理者の招待リンク", "Manager invitation link"), "to": email, "url": url }))).await
}
