//! The page templates, compiled into the binary.

use minijinja::Environment;

const TEMPLATES: [(&str, &str); 11] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("catalog.html", include_str!("../../templates/catalog.html")),
    ("course.html", include_str!("../../templates/course.html")),
    ("module.html", include_str!("../../templates/module.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("join.html", include_str!("../../templates/join.html")),
    (
        "password.html",
        include_str!("../../templates/password.html"),
    ),
    ("link.html", include_str!("../../templates/link.html")),
    ("player.html", include_str!("../../templates/player.html")),
    ("quiz.html", include_str!("../../templates/quiz.html")),
    (
        "quiz_result.html",
        include_str!("../../templates/quiz_result.html"),
    ),
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
