fn main() {
    let _ = orion::migrations!(src / migrations);
}
