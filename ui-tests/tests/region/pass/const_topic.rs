use maud::html;
use orion::{Ctx, Html, Result, region};

mod sql {
    pub const TOPIC: &str = "todos";
}

pub const USERS: &str = "users";

pub struct TodoCount;

#[region(topics = [sql::TOPIC, USERS, "stats"])]
impl TodoCount {
    fn model(_ctx: &Ctx) -> Result<(i64, i64)> {
        Ok((0, 0))
    }

    fn view(counts: &(i64, i64)) -> Html {
        html! { p { (counts.0) " of " (counts.1) } }
    }
}

pub struct Single;

#[region(topics = sql::TOPIC)]
impl Single {
    fn model(_ctx: &Ctx) -> orion::Result<()> {
        Ok(())
    }

    fn view(_model: &()) -> Html {
        html! {}
    }
}

fn main() {
    assert_eq!(
        <TodoCount as orion::Region>::TOPICS,
        ["todos", "users", "stats"]
    );
    assert_eq!(<Single as orion::Region>::TOPICS, ["todos"]);
}
