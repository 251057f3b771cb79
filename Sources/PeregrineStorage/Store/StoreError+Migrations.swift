extension StoreError {
    /// A store opened for reading that an older Peregrine wrote: what to run to bring it forward.
    static func migrationsMissing(_ count: Int, store: String) -> StoreError {
        StoreError(.unreadable, "\(store) was written by an older Peregrine (\(count) migration(s) missing); "
                   + "bring it up to date with `peregrine db migrate --store \(store)`")
    }
}
