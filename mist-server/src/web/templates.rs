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
