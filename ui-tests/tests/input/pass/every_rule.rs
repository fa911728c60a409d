use orion::Input;
use orion::datastar::Signals;

fn no_spaces(handle: &str) -> Result<(), String> {
    if handle.contains(' ') {
        Err("no spaces, please".to_owned())
    } else {
        Ok(())
    }
}

mod rules {
    pub fn even(n: &i64) -> Result<(), String> {
        if n % 2 == 0 {
            Ok(())
        } else {
            Err("must be even".to_owned())
        }
    }
}

#[derive(Debug, Input)]
pub struct Signup {
    #[input(trim, required)]
    pub name: String,
    #[input(trim, length(min = 3, max = 12), custom = no_spaces, name = "userHandle")]
    pub handle: String,
    #[input(range(min = 18, max = 130))]
    pub age: i64,
    #[input(range(max = 10), custom = rules::even)]
    pub guests: i64,
    #[input(length(max = 200))]
    pub bio: Option<String>,
    pub newsletter: bool,
}

fn signals(pairs: &[(&str, &str)], numbers: &[(&str, i64)]) -> Signals {
    let mut signals = Signals::new();
    for (name, value) in pairs {
        signals.insert((*name).to_owned(), (*value).into());
    }
    for (name, value) in numbers {
        signals.insert((*name).to_owned(), (*value).into());
    }
    signals.insert("newsletter".to_owned(), true.into());
    signals
}

fn main() {
    assert_eq!(
        Signup::FIELDS,
        ["name", "userHandle", "age", "guests", "bio", "newsletter"]
    );

    let good = signals(
        &[("name", " Ada "), ("userHandle", " ada ")],
        &[("age", 36), ("guests", 2)],
    );
    let signup = Signup::from_signals(&good).expect("valid");
    assert_eq!(
        (signup.name.as_str(), signup.handle.as_str()),
        ("Ada", "ada")
    );
    assert_eq!(
        (signup.age, signup.guests, signup.bio, signup.newsletter),
        (36, 2, None, true)
    );

    let bad = signals(
        &[("name", "  "), ("userHandle", "a b c"), ("bio", "")],
        &[("age", 7), ("guests", 3)],
    );
    let errors = Signup::from_signals(&bad).expect_err("invalid");
    assert_eq!(errors.get("name"), Some("required"));
    assert_eq!(errors.get("userHandle"), Some("no spaces, please"));
    assert_eq!(errors.get("age"), Some("must be between 18 and 130"));
    assert_eq!(errors.get("guests"), Some("must be even"));
    assert_eq!(errors.get("bio"), None);
}
