#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::Duration;
use time::macros::datetime;

use super::ics::{CalendarEvent, calendar, escape, fold, utc};
use super::*;

fn schedule() -> Schedule {
    Schedule {
        starts_at: datetime!(2026-12-03 05:00 UTC),
        duration: Duration::minutes(90),
        registration_deadline: datetime!(2026-12-01 15:00 UTC),
    }
}

#[test]
fn the_state_machine_allows_only_the_documented_moves() {
    use Event::*;
    use Status::*;
    assert_eq!(Waiting.on(Promote), Ok(Confirmed));
    assert_eq!(Confirmed.on(Cancel), Ok(Cancelled));
    assert_eq!(Waiting.on(Cancel), Ok(Cancelled));
    assert_eq!(Confirmed.on(Attend), Ok(Attended));
    assert_eq!(Attended.on(Attend), Ok(Attended));
    for (from, event) in [
        (Confirmed, Promote),
        (Cancelled, Promote),
        (Cancelled, Attend),
        (Waiting, Attend),
        (Attended, Cancel),
        (Cancelled, Cancel),
    ] {
        assert_eq!(from.on(event), Err(TransitionError { from, event }));
    }
    for status in [Confirmed, Waiting, Cancelled, Attended] {
        assert_eq!(Status::parse(status.as_str()), Some(status));
    }
    assert!(Confirmed.holds_seat() && Attended.holds_seat());
    assert!(!Waiting.holds_seat() && !Cancelled.holds_seat());
}

#[test]
fn registration_closes_at_the_deadline_or_on_cancellation() {
    let s = schedule();
    assert_eq!(
        check_registration(&s, false, s.registration_deadline),
        Ok(())
    );
    assert_eq!(
        check_registration(&s, false, s.registration_deadline + Duration::seconds(1)),
        Err(RegistrationError::Closed)
    );
    assert_eq!(
        check_registration(&s, true, datetime!(2026-11-01 00:00 UTC)),
        Err(RegistrationError::SessionCancelled)
    );
    let late_deadline = Schedule {
        registration_deadline: s.starts_at + Duration::hours(1),
        ..s
    };
    assert_eq!(
        check_registration(&late_deadline, false, s.starts_at),
        Err(RegistrationError::Closed),
        "never after the start, whatever the deadline says"
    );
}

#[test]
fn seats_go_first_come_first_served_and_never_past_capacity() {
    assert_eq!(seat_for(0, 0, 1), Status::Confirmed);
    assert_eq!(seat_for(9, 0, 10), Status::Confirmed);
    assert_eq!(seat_for(10, 0, 10), Status::Waiting);
    assert_eq!(seat_for(12, 0, 10), Status::Waiting);
    assert_eq!(seat_for(5, 1, 10), Status::Waiting, "the queue goes first");
}

#[test]
fn promotion_takes_the_earliest_waiting_for_the_free_seats() {
    let waiting = [
        WaitingEntry {
            id: 'c',
            position: 7,
        },
        WaitingEntry {
            id: 'a',
            position: 3,
        },
        WaitingEntry {
            id: 'b',
            position: 5,
        },
    ];
    assert_eq!(to_promote(10, 9, &waiting), vec!['a']);
    assert_eq!(to_promote(10, 8, &waiting), vec!['a', 'b']);
    assert_eq!(to_promote(10, 5, &waiting), vec!['a', 'b', 'c']);
    assert!(to_promote(10, 10, &waiting).is_empty());
    assert!(
        to_promote(10, 11, &waiting).is_empty(),
        "over capacity after a capacity cut"
    );
}

#[test]
fn the_keyword_is_accepted_from_the_start_to_half_an_hour_after_the_end() {
    let s = schedule();
    let ok = |at| check_keyword(&s, Some("Ｍｉｓｔ 2026"), "mist 2026", at);
    assert_eq!(
        ok(s.starts_at - Duration::seconds(1)),
        Err(KeywordError::TooEarly)
    );
    assert_eq!(ok(s.starts_at), Ok(()));
    assert_eq!(ok(s.ends_at() + KEYWORD_GRACE), Ok(()));
    assert_eq!(
        ok(s.ends_at() + KEYWORD_GRACE + Duration::seconds(1)),
        Err(KeywordError::TooLate)
    );
    assert_eq!(
        check_keyword(&s, Some("MIST"), "MIS", s.starts_at),
        Err(KeywordError::Wrong)
    );
    assert_eq!(
        check_keyword(&s, Some("  "), "", s.starts_at),
        Err(KeywordError::NotSet)
    );
    assert_eq!(
        check_keyword(&s, None, "x", s.starts_at),
        Err(KeywordError::NotSet)
    );
}

#[test]
fn completion_needs_attendance_and_the_quiz_when_there_is_one() {
    assert!(is_completed(true, false, false));
    assert!(is_completed(true, true, true));
    assert!(!is_completed(true, true, false));
    assert!(!is_completed(false, false, true));
}

#[test]
fn reminders_are_due_a_day_and_an_hour_before_unless_already_past() {
    let start = datetime!(2026-12-03 05:00 UTC);
    assert_eq!(
        reminders_due(start, datetime!(2026-11-01 00:00 UTC)),
        vec![
            (Reminder::DayBefore, datetime!(2026-12-02 05:00 UTC)),
            (Reminder::HourBefore, datetime!(2026-12-03 04:00 UTC)),
        ]
    );
    assert_eq!(
        reminders_due(start, datetime!(2026-12-02 12:00 UTC)),
        vec![(Reminder::HourBefore, datetime!(2026-12-03 04:00 UTC))]
    );
    assert!(reminders_due(start, start).is_empty());
}

#[test]
fn times_are_shown_in_jst_with_the_era_year() {
    let at = datetime!(2026-12-03 05:00 UTC);
    assert_eq!(jst_label(at, true), "2026年(令和8年)12月3日(木) 14:00");
    assert_eq!(jst_label(at, false), "Thu 3 Dec 2026, 14:00 JST");
    // 23:30 UTC is already the next day in Japan.
    assert_eq!(
        jst_label(datetime!(2019-04-30 23:30 UTC), true),
        "2019年(令和元年)5月1日(水) 08:30"
    );
}

#[test]
fn text_values_are_escaped() {
    assert_eq!(escape(r"a,b;c\d"), r"a\,b\;c\\d");
    assert_eq!(
        escape("line 1\r\nline 2\nline 3"),
        r"line 1\nline 2\nline 3"
    );
}

#[test]
fn long_lines_fold_at_75_octets_without_splitting_characters() {
    let ascii = "X".repeat(200);
    let folded = fold(&ascii);
    let lines: Vec<&str> = folded.split("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with(' '));
    assert_eq!(folded.replace("\r\n ", ""), ascii);
    let japanese = format!("SUMMARY:{}", "情報セキュリティ研修".repeat(5));
    let folded = fold(&japanese);
    for line in folded.split("\r\n") {
        assert!(line.len() <= 75, "{} octets", line.len());
    }
    assert_eq!(folded.replace("\r\n ", ""), japanese);
}

#[test]
fn a_calendar_has_one_event_in_utc_with_crlf_lines() {
    let event = CalendarEvent {
        uid: "0f0e@mist",
        stamp: datetime!(2026-11-26 00:00 UTC),
        start: datetime!(2026-12-03 05:00 UTC),
        end: datetime!(2026-12-03 06:30 UTC),
        summary: "経営者向け研修, 第1回",
        description: "講師 A; 事例\nランサムウェア",
        url: "https://meet.example.jp/s/1?a=b,c",
        cancelled: false,
    };
    let ics = calendar(&event);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    for expected in [
        "UID:0f0e@mist\r\n",
        "DTSTAMP:20261126T000000Z\r\n",
        "DTSTART:20261203T050000Z\r\n",
        "DTEND:20261203T063000Z\r\n",
        "SUMMARY:経営者向け研修\\, 第1回\r\n",
        "DESCRIPTION:講師 A\\; 事例\\nランサムウェア\r\n",
        "URL:https://meet.example.jp/s/1?a=b,c\r\n",
        "STATUS:CONFIRMED\r\n",
    ] {
        assert!(ics.contains(expected), "{expected} in\n{ics}");
    }
    assert_eq!(utc(datetime!(2026-12-03 14:00 +9)), "20261203T050000Z");
    let cancelled = calendar(&CalendarEvent {
        cancelled: true,
        ..event
    });
    assert!(cancelled.contains("STATUS:CANCELLED\r\n"));
}

#[test]
fn times_entered_in_jst_are_stored_in_utc_and_shown_back_in_jst() {
    let utc = parse_jst_local("2026-12-03T14:00").unwrap();
    assert_eq!(utc, datetime!(2026-12-03 05:00 UTC));
    assert_eq!(
        parse_jst_local(" 2026-12-03T14:00:30 "),
        Some(datetime!(2026-12-03 05:00:30 UTC))
    );
    assert_eq!(jst_local_value(utc), "2026-12-03T14:00");
    for bad in ["", "2026-12-03", "2026-13-03T14:00", "tomorrow"] {
        assert_eq!(parse_jst_local(bad), None, "{bad}");
    }
}
