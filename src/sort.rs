//! One small stable sort for the crate's short lists (JSON keys, table headers, tags, command
//! suggestions), in place of the standard library's, whose driftsort is about 4 KB of wasm for
//! each element type and order it is used with.
//!
//! Insertion sort: stable, so it orders exactly as `slice::sort`/`sort_by_key` do, and fast for
//! the tens to hundreds of elements it sees here.

/// Sorts `v` stably by `less` (`less(a, b)`: `a` goes before `b`).
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Sorts `v` stably in ascending order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a < b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_as_the_standard_sort_does() {
        let mut seed = 7u64;
        for len in 0..40 {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|e| e.0);
            sort_by(&mut v, |a, b| a.0 < b.0);
            assert_eq!(v, want, "stable by key");
            sort(&mut v);
            want.sort();
            assert_eq!(v, want);
        }
    }
}
