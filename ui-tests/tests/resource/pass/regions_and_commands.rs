use maud::html;
use orion::{Document, Page, Resource, Result, resource};

mod view {
    use maud::html;
    use orion::{Ctx, Html, Result, region};

    pub struct TodoList;

    #[region(topics = ["todos"])]
    impl TodoList {
        fn model(_ctx: &Ctx) -> Result<Vec<String>> {
            Ok(Vec::new())
        }

        fn view(todos: &Vec<String>) -> Html {
            html! { ul { @for todo in todos { li { (todo) } } } }
        }
    }

    pub struct Remaining;

    #[region(topics = ["todos"])]
    impl Remaining {
        fn model(_ctx: &Ctx) -> Result<usize> {
            Ok(0)
        }

        fn view(left: &usize) -> Html {
            html! { p { (left) " left" } }
        }
    }
}

mod commands {
    use orion::{Ctx, Reply, Result, command};

    #[command("/todos")]
    pub async fn add(_ctx: Ctx) -> Result<Reply> {
        Ok(Reply::new())
    }

    #[command("/todos/{id}", method = "delete")]
    pub async fn delete(_ctx: Ctx, id: i64) -> Result<Reply> {
        let _ = id;
        Ok(Reply::new())
    }
}

use commands::delete;
use view::{Remaining, TodoList};

pub struct Todos;

#[resource("/", regions = [TodoList, view::Remaining], commands = [commands::add, delete])]
impl Todos {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("todos").body(html! {
            form data-on:submit=(commands::add::action()) {}
            (page.region(TodoList))
            (page.region(Remaining))
        }))
    }
}

pub struct List;

#[resource("/lists/{id}")]
impl List {
    fn page(_page: &Page) -> orion::Result<Document> {
        Ok(Document::new("list"))
    }
}

fn main() {
    assert_eq!(Todos::PATH, "/");
    let ids: Vec<&str> = Todos::regions().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["todo-list", "remaining"]);
    let paths: Vec<&str> = Todos::commands().iter().map(|c| c.path()).collect();
    assert_eq!(paths, ["/todos", "/todos/{id}"]);
    assert_eq!(List::PATH, "/lists/{id}");
    assert!(List::regions().is_empty() && List::commands().is_empty());
    let _routes = orion::Routes::new().resource(Todos).resource(List);
}
