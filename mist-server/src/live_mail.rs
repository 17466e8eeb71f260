//! Messages of live sessions: their texts in the person's language, and the background task that
//! sends due messages through a [`Mailer`].
//!
//! The server has no mail server today: [`LogMailer`] logs each message and counts it sent. An SMTP
//! mailer implements the same one-method trait.

use std::future::Future;
use std::time::Duration as StdDuration;

use mist_core::live::{Reminder, jst_label, reminders_due};
use time::OffsetDateTime;

use crate::store::live::messages::QueuedMessage;
use crate::store::live::{Composer, LiveSession, MessageKind, NewMessage, Notice, Recipient};
use crate::store::{Store, StoreError, now};

/// How many due messages one tick claims.
const BATCH: i64 = 50;

/// Sending a message failed.
#[derive(Debug, thiserror::Error)]
#[error("sending failed: {0}")]
pub struct MailError(pub String);

/// Hands a message to whatever delivers mail.
pub trait Mailer: Send + Sync + 'static {
    /// Sends one message; `Ok` means it was accepted for delivery.
    fn send(&self, message: &QueuedMessage) -> impl Future<Output = Result<(), MailError>> + Send;
}

/// The default mailer: logs the message (no mail server is assumed) and counts it sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogMailer;

impl Mailer for LogMailer {
    async fn send(&self, message: &QueuedMessage) -> Result<(), MailError> {
        tracing::info!(id = message.id, to = %message.recipient, subject = %message.subject, kind = %message.kind, "live session message");
        Ok(())
    }
}

/// Claims the messages due at `at` as `worker` and sends them; returns how many were sent.
pub async fn deliver_due(
    store: &Store,
    mailer: &impl Mailer,
    worker: &str,
    at: OffsetDateTime,
) -> Result<usize, StoreError> {
    let mut sent = 0;
    for message in store.claim_live_messages(worker, at, BATCH).await? {
        match mailer.send(&message).await {
            Ok(()) => {
                store.mark_live_message_sent(message.id, worker).await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id = message.id, %error, "live session message not sent");
                store
                    .mark_live_message_failed(message.id, worker, &error.to_string())
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// Starts the sender on the current runtime: every `period` it sends the messages that are due.
pub fn spawn_sender(store: Store, mailer: impl Mailer, period: StdDuration) {
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = deliver_due(&store, &mailer, &worker, now()).await {
                tracing::error!(%error, "live session messages: the queue failed");
            }
        }
    });
}

/// Writes the messages in the recipient's language, with links to the portal at `public_url`.
#[derive(Debug, Clone)]
pub struct LiveComposer {
    /// The portal's address as people reach it.
    pub public_url: String,
}

impl Composer for LiveComposer {
    fn compose(
        &self,
        session: &LiveSession,
        to: &Recipient,
        notice: Notice,
        now: OffsetDateTime,
    ) -> Vec<NewMessage> {
        let japanese = to.lang != "en";
        let message = |kind: MessageKind, due_at: OffsetDateTime| NewMessage {
            user_id: to.user_id,
            kind,
            recipient: to.email.clone(),
            subject: self.subject(session, kind, japanese),
            body: self.body(session, kind, japanese),
            due_at,
        };
        match notice {
            Notice::Confirmed | Notice::Promoted | Notice::Rescheduled => {
                let kind = match notice {
                    Notice::Confirmed => MessageKind::Confirmed,
                    Notice::Promoted => MessageKind::Promoted,
                    _ => MessageKind::Rescheduled,
                };
                let mut messages = vec![message(kind, now)];
                for (reminder, due) in reminders_due(session.starts_at, now) {
                    let kind = match reminder {
                        Reminder::DayBefore => MessageKind::Reminder24h,
                        Reminder::HourBefore => MessageKind::Reminder1h,
                    };
                    messages.push(message(kind, due));
                }
                messages
            }
            Notice::Waiting => vec![message(MessageKind::Waiting, now)],
            Notice::SessionCancelled => vec![message(MessageKind::SessionCancelled, now)],
        }
    }
}

impl LiveComposer {
    fn subject(&self, session: &LiveSession, kind: MessageKind, japanese: bool) -> String {
        let title = if japanese {
            &session.title_ja
        } else {
            &session.title_en
        };
        let what = match (kind, japanese) {
            (MessageKind::Confirmed, true) => "お申し込みを受け付けました",
            (MessageKind::Confirmed, false) => "Your seat is confirmed",
            (MessageKind::Waiting, true) => "キャンセル待ちで受け付けました",
            (MessageKind::Waiting, false) => "You are on the waiting list",
            (MessageKind::Promoted, true) => "キャンセル待ちから参加が確定しました",
            (MessageKind::Promoted, false) => "A seat freed up: you are confirmed",
            (MessageKind::Rescheduled, true) => "日時変更のお知らせ",
            (MessageKind::Rescheduled, false) => "The date or time has changed",
            (MessageKind::Reminder24h, true) => "明日開催のご案内",
            (MessageKind::Reminder24h, false) => "Reminder: tomorrow",
            (MessageKind::Reminder1h, true) => "まもなく開始します(1時間前)",
            (MessageKind::Reminder1h, false) => "Reminder: starts in one hour",
            (MessageKind::SessionCancelled, true) => "開催中止のお知らせ",
            (MessageKind::SessionCancelled, false) => "Session cancelled",
        };
        format!("MIST: {what} — {title}")
    }

    fn body(&self, session: &LiveSession, kind: MessageKind, japanese: bool) -> String {
        let page = format!("{}/live/{}", self.public_url, session.id);
        let when = jst_label(session.starts_at, japanese);
        let holds_seat = matches!(
            kind,
            MessageKind::Confirmed
                | MessageKind::Promoted
                | MessageKind::Rescheduled
                | MessageKind::Reminder24h
                | MessageKind::Reminder1h
        );
        let mut lines = Vec::new();
        if japanese {
            lines.push(format!("研修名: {}", session.title_ja));
            lines.push(format!(
                "日時: {when}(日本時間、{}分)",
                session.duration_minutes
            ));
            lines.push(format!("講師: {}", session.instructor));
            if holds_seat {
                lines.push(format!("参加URL: {}", session.meeting_url));
                lines.push(format!("カレンダー登録: {page}/calendar.ics"));
            }
            lines.push(match kind {
                MessageKind::Waiting => {
                    "席が空き次第、お申し込み順に参加確定となり、改めてお知らせします。".to_owned()
                }
                MessageKind::SessionCancelled => {
                    "この研修は開催中止となりました。ご了承ください。".to_owned()
                }
                _ => "研修中に講師が案内するキーワードを研修ページで入力すると出席が記録されます。"
                    .to_owned(),
            });
            lines.push(format!("研修ページ: {page}"));
        } else {
            lines.push(format!("Session: {}", session.title_en));
            lines.push(format!(
                "When: {when} ({} minutes)",
                session.duration_minutes
            ));
            lines.push(format!("Instructor: {}", session.instructor));
            if holds_seat {
                lines.push(format!("Join: {}", session.meeting_url));
                lines.push(format!("Add to your calendar: {page}/calendar.ics"));
            }
            lines.push(match kind {
                MessageKind::Waiting => "When a seat frees up, people on the waiting list are confirmed in the order they registered; we will write again.".to_owned(),
                MessageKind::SessionCancelled => "This session has been cancelled.".to_owned(),
                _ => "Enter the keyword the instructor gives during the session on the session page to record your attendance.".to_owned(),
            });
            lines.push(format!("Session page: {page}"));
        }
        lines.join("\n")
    }
}
