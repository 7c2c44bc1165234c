//! tantivy's own tokenizers split NFD text ("Điện" → "die" + "n") and only fold ASCII: these wrap
//! the project's analyzer. `vi` emits folded syllables, `vi_exact` exact keys, `vi_pairs` adjacent
//! folded pairs.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::search::client::terms;
use crate::text;

#[derive(Clone, Copy)]
pub(super) enum Form {
    Folded,
    Exact,
    Pairs,
}

/// A tantivy tokenizer wrapping the project analyzer.
#[derive(Clone, Copy)]
pub(super) struct VietnameseTokenizer(pub(super) Form);

pub(super) struct VecStream {
    tokens: Vec<Token>,
    at: usize,
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text_: &'a str) -> VecStream {
        let token = |position: usize, offsets: (usize, usize), text: String| Token { offset_from: offsets.0, offset_to: offsets.1, position, text, position_length: 1 };
        let tokens = match self.0 {
            // Body text is most of the index: the one-pass folding, without offsets (nothing is
            // highlighted from tantivy).
            Form::Folded => text::folded_words(text_).into_iter().enumerate().map(|(p, w)| token(p, (0, 0), w)).collect(),
            Form::Exact => text::tokens(&text::nfc(text_)).into_iter().enumerate().map(|(p, w)| token(p, (w.start, w.end), w.exact)).collect(),
            Form::Pairs => text::tokens(&text::nfc(text_))
                .windows(2)
                .enumerate()
                .map(|(p, pair)| token(p, (pair[0].start, pair[1].end), format!("{}{}{}", pair[0].folded, terms::PAIR_SEPARATOR, pair[1].folded)))
                .collect(),
        };
        VecStream { tokens, at: 0 }
    }
}
