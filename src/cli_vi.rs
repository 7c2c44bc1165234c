//! The command line's own words in Vietnamese: clap writes its help and errors in English, so the
//! help is laid out with Vietnamese headings and usage, and each kind of error is said anew from
//! its parts (the argument, the value, the suggestion).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The command tree with Vietnamese help headings and usage lines.
pub fn translate(command: Command) -> Command {
    let mut command = headings(command);
    command.build();
    usages(&mut command);
    command
}

/// Usage lines in Vietnamese words, once clap has named every subcommand ("nguoitot build").
fn usages(command: &mut Command) {
    let usage = usage_words(&command.render_usage().to_string());
    *command = std::mem::take(command).override_usage(usage);
    for sub in command.get_subcommands_mut() {
        usages(sub);
    }
}

fn headings(command: Command) -> Command {
    // clap adds its English -h and -V when the command is built: ours replace them.
    let mut command = command
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .subcommand_value_name("LỆNH")
        .subcommand_help_heading("Lệnh")
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("In hướng dẫn này"));
    if command.get_version().is_some() {
        command = command.disable_version_flag(true).arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("In phiên bản"));
    }
    // Defaults and choices in the help text itself: clap would add "[default: …]".
    command = command.mut_args(|arg| {
        let mut notes = Vec::new();
        let choices: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
        if !choices.is_empty() && arg.get_action().takes_values() {
            notes.push(format!("một trong: {}", choices.join(", ")));
        }
        let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            notes.push(format!("mặc định: {}", defaults.join(", ")));
        }
        if notes.is_empty() {
            return arg;
        }
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        arg.help(format!("{help} ({})", notes.join("; "))).hide_default_value(true).hide_possible_values(true)
    });
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        command = command.mut_subcommand(name, headings);
    }
    let has_subcommands = command.has_subcommands();
    let has_positionals = command.get_positionals().next().is_some();
    let mut template = String::from("{about-with-newline}\nCách dùng: {usage}\n");
    if has_subcommands {
        template.push_str("\nLệnh:\n{subcommands}\n");
    }
    if has_positionals {
        template.push_str("\nTham số:\n{positionals}\n");
    }
    template.push_str("\nTùy chọn:\n{options}{after-help}\n");
    command.help_template(template)
}

/// The usage line clap made, in Vietnamese words ("[OPTIONS]" → "[TÙY CHỌN]").
fn usage_words(usage: &str) -> String {
    usage.replace("Usage: ", "").replace("[OPTIONS]", "[TÙY CHỌN]").replace("<COMMAND>", "<LỆNH>")
}

fn context<'a>(error: &'a clap::Error, kind: ContextKind) -> Option<&'a ContextValue> {
    error.get(kind)
}

fn text(value: Option<&ContextValue>) -> String {
    match value {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The error in Vietnamese, with the usage line and where to read more; `None` for help and
/// version, which clap prints as they are.
pub fn error_message(error: &clap::Error) -> Option<String> {
    let arg = text(context(error, ContextKind::InvalidArg));
    let value = text(context(error, ContextKind::InvalidValue));
    let suggestion = |kind: ContextKind| match context(error, kind) {
        Some(ContextValue::String(s)) => format!(" — có phải ý bạn là `{s}`?"),
        Some(ContextValue::Strings(v)) if !v.is_empty() => format!(" — có phải ý bạn là `{}`?", v.join("` hay `")),
        _ => String::new(),
    };
    let message = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => {
            let trailing = if context(error, ContextKind::TrailingArg).is_some() { " (giá trị bắt đầu bằng `-` thì đặt sau `--`)" } else { "" };
            format!("không có tùy chọn `{arg}`{}{trailing}", suggestion(ContextKind::SuggestedArg))
        }
        ErrorKind::InvalidSubcommand => {
            let sub = text(context(error, ContextKind::InvalidSubcommand));
            format!("không có lệnh `{sub}`{}", suggestion(ContextKind::SuggestedSubcommand))
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} cần một giá trị"),
        ErrorKind::InvalidValue => {
            let valid = text(context(error, ContextKind::ValidValue));
            let choices = if valid.is_empty() { String::new() } else { format!("; chọn một trong: {valid}") };
            format!("giá trị \"{value}\" không hợp lệ cho {arg}{choices}{}", suggestion(ContextKind::SuggestedValue))
        }
        ErrorKind::ValueValidation => {
            // Our value parsers explain in Vietnamese; std's parsers (numbers, addresses) do not.
            let reason = std::error::Error::source(error).map(ToString::to_string).filter(|r| !r.is_ascii()).map(|r| format!(": {r}")).unwrap_or_default();
            format!("giá trị \"{value}\" không hợp lệ cho {arg}{reason}")
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu {}", text(context(error, ContextKind::InvalidArg))),
        ErrorKind::MissingSubcommand => "thiếu lệnh".to_string(),
        ErrorKind::ArgumentConflict => format!("{arg} không dùng cùng {}", text(context(error, ContextKind::PriorArg))),
        ErrorKind::TooManyValues => format!("thừa giá trị \"{value}\" cho {arg}"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("{arg} cần {} giá trị", text(context(error, ContextKind::ExpectedNumValues))),
        ErrorKind::NoEquals => format!("{arg} cần dấu `=` giữa tên và giá trị"),
        _ => format!("dòng lệnh không hợp lệ ({})", error.kind()),
    };
    let usage = text(context(error, ContextKind::Usage));
    let usage = if usage.is_empty() { String::new() } else { format!("\n\nCách dùng: {}", usage_words(&usage)) };
    Some(format!("lỗi: {message}{usage}\n\nXem thêm: nguoitot --help"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> Command {
        translate(
            Command::new("nguoitot")
                .version("1")
                .subcommand(Command::new("build").arg(clap::Arg::new("root").long("root")).arg(clap::Arg::new("port").long("port").value_parser(clap::value_parser!(u16)))),
        )
    }

    #[test]
    fn unknown_arguments_and_commands_are_said_in_vietnamese_with_a_suggestion() {
        let err = command().try_get_matches_from(["nguoitot", "build", "--rot", "x"]).unwrap_err();
        let message = error_message(&err).unwrap();
        assert!(message.starts_with("lỗi: không có tùy chọn `--rot` — có phải ý bạn là `--root`?"), "{message}");
        assert!(message.contains("Cách dùng: nguoitot build [TÙY CHỌN]"), "{message}");
        let err = command().try_get_matches_from(["nguoitot", "biuld"]).unwrap_err();
        assert!(error_message(&err).unwrap().starts_with("lỗi: không có lệnh `biuld` — có phải ý bạn là `build`?"));
        let err = command().try_get_matches_from(["nguoitot", "build", "--port", "http"]).unwrap_err();
        assert!(error_message(&err).unwrap().starts_with("lỗi: giá trị \"http\" không hợp lệ cho --port <port>"), "{}", error_message(&err).unwrap());
    }

    #[test]
    fn help_has_vietnamese_headings() {
        let help = command().render_help().to_string();
        assert!(help.contains("Cách dùng: nguoitot"), "{help}");
        assert!(help.contains("Lệnh:") && help.contains("Tùy chọn:") && help.contains("In hướng dẫn này"), "{help}");
        assert!(!help.contains("Usage") && !help.contains("Options:") && !help.contains("Print help"), "{help}");
    }
}
