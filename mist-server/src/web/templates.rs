//! The page templates, compiled into the binary.

use minijinja::Environment;

const TEMPLATES: [(&str, &str); 4] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("catalog.html", include_str!("../../templates/catalog.html")),
    ("course.html", include_str!("../../templates/course.html")),
    ("module.html", include_str!("../../templates/module.html")),
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
