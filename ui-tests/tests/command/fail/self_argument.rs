use orion::{Reply, Result, command};

pub struct Todos;

impl Todos {
    #[command("/todos/clear")]
    pub async fn clear(&self) -> Result<Reply> {
        Ok(Reply::new())
    }
}

fn main() {}
