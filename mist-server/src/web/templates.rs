//! The page templates, compiled into the binary.

use minijinja::Environment;

/// `(name, source)` of each template under `mist-server/templates/`.
macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = &templates![
    "base.html",
    "catalog.html",
    "course.html",
    "module.html",
    "login.html",
    "join.html",
    "password.html",
    "link.html",
    "player.html",
    "quiz.html",
    "quiz_result.html",
    "manage.html",
    "admin.html",
    "me.html",
    "verify.html",
    "error.html",
    "package.html",
    "scorm_player.html",
    "quiz_questions.html",
    "quiz_feedback.html",
    "live_list.html",
    "live_session.html",
    "live_form.html",
    "live_admin.html",
    "live_edit.html",
    "live_roster.html",
    "live_quiz.html",
    "live_quiz_result.html",
    // Portal: contents collection, instructors and engineers, related links, inquiries.
    "portal_forms.html",
    "contents.html",
    "admin_contents.html",
    "experts.html",
    "admin_experts.html",
    "resources.html",
    "admin_resources.html",
    "contact.html",
    "inbox.html",
    "inbox_item.html",
    "incident_form.html",
    "incident_filed.html",
    "incident_timeline.html",
    "incident_tickets.html",
    "desk_queue.html",
    "desk_ticket.html",
    "responders.html",
    "compliance.html",
    "roster.html",
];

/// An environment with every template loaded; HTML auto-escaping is on for `.html` names.
pub fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        assert!(super::environment().is_ok());
    }
}
