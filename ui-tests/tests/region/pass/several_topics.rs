use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct TodoList;

#[region(topics = ["todos", "users"])]
impl TodoList {
    fn model(_ctx: &Ctx) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    fn view(todos: &Vec<String>) -> Html {
        html! { ul { @for todo in todos { li { (todo) } } } }
    }
}

fn main() {
    assert_eq!(<TodoList as orion::Region>::TOPICS, ["todos", "users"]);
    assert_eq!(<TodoList as orion::Region>::ID, "todo-list");
    let html = <TodoList as orion::Region>::view(&vec!["milk".to_owned()]);
    assert_eq!(html.into_string(), "<ul><li>milk</li></ul>");
}
