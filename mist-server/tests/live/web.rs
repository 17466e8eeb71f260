//! The portal: pages, forms and files of live sessions.
