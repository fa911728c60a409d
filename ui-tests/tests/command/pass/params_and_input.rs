use orion::{Command, Ctx, Input, Reply, Result, command};

#[derive(Input)]
pub struct Rename {
    #[input(trim, length(min = 1, max = 200))]
    pub draft: String,
}

#[command("/lists/{list}/todos/{id}/rename")]
pub async fn rename(ctx: Ctx, list: String, id: i64, input: Rename) -> Result<Reply> {
    let _ = (ctx, list, id, input.draft);
    Ok(Reply::new().clear_errors(&rename::form("a", 5), Rename::FIELDS))
}

// The input may come first: what is not a path parameter is the input.
#[command("/todos/{id}/move")]
pub async fn move_todo(_ctx: Ctx, input: Rename, id: i64) -> Result<Reply> {
    let _ = (input.draft, id);
    Ok(Reply::new())
}

fn main() {
    assert_eq!(
        rename::url("groceries", 5),
        "lists/groceries/todos/5/rename"
    );
    assert_eq!(rename::url("a b", 5), "lists/a%20b/todos/5/rename");
    assert_eq!(
        rename::action("groceries", 5),
        "@post('lists/groceries/todos/5/rename')"
    );
    assert_eq!(rename::form("groceries", 5), "rename-groceries-5");
    assert_eq!(
        <rename as Command>::route().path(),
        "/lists/{list}/todos/{id}/rename"
    );
    assert_eq!(move_todo::form(3), "move-todo-3");
}
