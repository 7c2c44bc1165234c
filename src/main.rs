//! The `nguoitot` command line. Messages for staff are in Vietnamese.
//! Exit status: 0 success, 1 content errors, 2 usage errors (clap) or other failures.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use nguoitot::authoring;
use nguoitot::diagnostics::Diagnostics;
use nguoitot::pipeline::{self, BuildError, BuildOptions};
use nguoitot::report::{Reporter, ServeEvent};
use nguoitot::site::index::Publish;
use nguoitot::site::routes;

mod cli_vi;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(name = "nguoitot", version, about = "Dựng trang tĩnh \"Người tốt, việc tốt\" từ các tệp Markdown")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo trang mới cho một tỉnh, cơ quan, đơn vị: cấu hình, phong trào, bài mẫu, tệp CI
    Init {
        /// Thư mục của trang mới (trống, hoặc chỉ có .git)
        #[arg(default_value = ".", value_name = "THƯ_MỤC")]
        dir: PathBuf,
        /// Tên trang, ví dụ "Người tốt, việc tốt — Điện Biên"
        #[arg(long, value_name = "TÊN")]
        title: Option<String>,
        /// Địa chỉ trang, ví dụ https://nguoitot.dienbien.gov.vn
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        base_url: Option<String>,
        /// Cơ quan quản lý trang, ví dụ "Ban Thi đua - Khen thưởng tỉnh Điện Biên"
        #[arg(long, value_name = "CƠ_QUAN")]
        publisher: Option<String>,
        /// Tỉnh, thành phố của trang (34 tỉnh, thành phố hiện nay)
        #[arg(long, value_name = "TỈNH")]
        province: Option<String>,
        /// Kho git chứa nội dung, dạng tổ-chức/tên-kho (cho trình soạn thảo web)
        #[arg(long, value_name = "KHO")]
        repo: Option<String>,
        /// Nơi đặt kho git: tệp CI tương ứng được tạo sẵn
        #[arg(long, value_enum, default_value_t = HostArg::Github, value_name = "NƠI")]
        host: HostArg,
        /// Bắt đầu với 13 phong trào thi đua của kế hoạch tỉnh Lào Cai 2021–2025
        #[arg(long)]
        lao_cai_movements: bool,
    },
    /// Giao diện: `nguoitot theme eject` chép giao diện mặc định ra themes/default/ để sửa
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
    /// Dựng toàn bộ trang vào thư mục xuất (mặc định <root>/public)
    Build {
        /// Thư mục trang (chứa nguoitot.toml và content/)
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
        /// Thư mục xuất
        #[arg(long, value_name = "THƯ_MỤC")]
        output: Option<PathBuf>,
        /// Địa chỉ gốc thay cho base_url trong nguoitot.toml
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        base_url: Option<String>,
        #[command(flatten)]
        publish: PublishArgs,
    },
    /// Đưa bản dựng mới nhất lên kho lưu trữ S3 (hoặc tương thích S3), chỉ tải lên những gì thay đổi
    Deploy {
        /// Thư mục trang (chứa nguoitot.toml)
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
        /// Thư mục xuất đã dựng (mặc định <root>/public)
        #[arg(long, value_name = "THƯ_MỤC")]
        output: Option<PathBuf>,
        /// Tên đích trong [[deploy]] của nguoitot.toml
        #[arg(long, value_name = "TÊN", conflicts_with = "to")]
        target: Option<String>,
        /// Đích dạng s3://TÊN-BUCKET[/THƯ-MỤC]
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        to: Option<String>,
        /// Máy chủ tương thích S3, ví dụ https://s3.example.vn (mặc định Amazon S3)
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        endpoint: Option<String>,
        /// Vùng (region) của bucket
        #[arg(long, value_name = "VÙNG")]
        region: Option<String>,
        /// Chỉ in kế hoạch (tải lên, xóa, dung lượng), không thay đổi gì
        #[arg(long)]
        dry_run: bool,
        /// Tải lên lại mọi tệp và ghi lại tệp kê khai trên bucket từ danh sách tệp
        #[arg(long)]
        force: bool,
        /// Từ chối nếu phải xóa nhiều hơn số tệp này trên bucket
        #[arg(long, default_value_t = nguoitot::deploy::DEFAULT_MAX_DELETES, value_name = "SỐ")]
        max_deletes: usize,
        /// Số tệp tải lên cùng lúc
        #[arg(long, default_value_t = nguoitot::deploy::DEFAULT_PARALLEL, value_parser = parallel_uploads, value_name = "SỐ")]
        parallel: usize,
    },
    /// Xem trước: dựng trang, phục vụ tại máy này, tự dựng lại và tải lại trang khi tệp thay đổi
    Serve {
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
        /// Cổng
        #[arg(long, default_value_t = 1111, value_parser = port_number, value_name = "CỔNG")]
        port: u16,
        /// Địa chỉ lắng nghe: 127.0.0.1 chỉ máy này, 0.0.0.0 mở cho cả mạng
        #[arg(long, default_value = "127.0.0.1", value_parser = ip_address, value_name = "ĐỊA_CHỈ_IP")]
        bind: std::net::IpAddr,
        #[command(flatten)]
        publish: PublishArgs,
    },
    /// Tạo tệp mới có sẵn mọi trường và lời hướng dẫn
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Tìm gương điển hình đã có (trước khi thêm bài mới)
    Search {
        /// Từ cần tìm, có dấu hay không dấu
        query: String,
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
        /// Chỉ trong phong trào này (mã)
        #[arg(long)]
        movement: Option<String>,
        /// Chỉ loại gương này (tap-the, ca-nhan, ho-gia-dinh)
        #[arg(long)]
        kind: Option<String>,
        /// Số kết quả tối đa, từ 1 đến 10000
        #[arg(long, default_value_t = 10, value_parser = search_limit)]
        limit: usize,
        /// In dạng JSON
        #[arg(long)]
        json: bool,
    },
    /// Ghi JSON Schema của phần thông tin vào schema/ (cho trình soạn thảo)
    Schema {
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
    },
    /// Chỉ kiểm tra nội dung, không ghi gì
    Check {
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
    },
    /// In các bảng thống kê khen thưởng (như trang /thong-ke/)
    Stats {
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
        /// In dạng JSON
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// In dạng CSV (các bảng cách nhau một dòng trống)
        #[arg(long, conflicts_with = "xlsx")]
        csv: bool,
        /// Ghi tệp Excel (.xlsx), mỗi bảng một trang tính
        #[arg(long, value_name = "TỆP", conflicts_with = "json")]
        xlsx: Option<PathBuf>,
        /// Tính cả bài nháp
        #[arg(long)]
        drafts: bool,
        /// Chỉ tính từ năm này (gương theo năm đăng bài, khen thưởng theo năm trao)
        #[arg(long, value_name = "NĂM")]
        from: Option<i32>,
        /// Chỉ tính đến năm này (tính cả năm đó)
        #[arg(long, value_name = "NĂM")]
        to: Option<i32>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum HostArg {
    /// GitHub: .github/workflows/nguoitot.yml
    Github,
    /// GitLab (cả máy chủ riêng): .gitlab-ci.yml
    Gitlab,
    /// Không tạo tệp CI
    None,
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Chép giao diện mặc định (có sẵn trong nguoitot) ra themes/default/ để sửa theo ý đơn vị
    Eject {
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
    },
}

fn port_number(value: &str) -> Result<u16, String> {
    value.trim().parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| "cần một số cổng từ 1 đến 65535, ví dụ 1111".to_string())
}

fn parallel_uploads(value: &str) -> Result<usize, String> {
    value.trim().parse::<usize>().ok().filter(|n| (1..=64).contains(n)).ok_or_else(|| "cần một số từ 1 đến 64".to_string())
}

fn ip_address(value: &str) -> Result<std::net::IpAddr, String> {
    value.trim().parse().map_err(|_| "cần một địa chỉ IP, ví dụ 127.0.0.1 (chỉ máy này) hoặc 0.0.0.0 (cả mạng)".to_string())
}

/// Which stories `build` and `serve` publish besides today's.
#[derive(Args)]
struct PublishArgs {
    /// Cả các bài nháp (draft: true)
    #[arg(long)]
    drafts: bool,
    /// Cả các bài có ngày đăng trong tương lai (xem trước)
    #[arg(long)]
    future: bool,
}

impl PublishArgs {
    fn publish(&self) -> Publish {
        Publish::now(self.drafts, self.future)
    }
}

#[derive(Subcommand)]
enum NewCommand {
    /// Một gương điển hình: content/stories/<tên>.md
    Story {
        /// Tiêu đề (tên tập thể, cá nhân, hộ gia đình)
        title: String,
        /// Mã phong trào (tên tệp trong content/movements/)
        #[arg(long)]
        movement: String,
        /// tap-the, ca-nhan hoặc ho-gia-dinh
        #[arg(long)]
        kind: String,
        /// Tỉnh, thành phố hiện nay (34 tỉnh, thành phố từ 1/7/2025), ví dụ "Lào Cai"
        #[arg(long)]
        province: Option<String>,
        /// Xã, phường, đặc khu hiện nay của tỉnh đó, ví dụ "Xã Thượng Hà"
        #[arg(long)]
        commune: Option<String>,
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
    },
    /// Một phong trào: content/movements/<mã>.md
    Movement {
        /// Tên phong trào
        title: String,
        /// Thư mục trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
    },
}

/// The most results `search` prints: a number a person reads through, and a bound on what is
/// allocated for them.
const MAX_SEARCH_LIMIT: usize = 10_000;

fn search_limit(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_SEARCH_LIMIT).contains(&n) => Ok(n),
        _ => Err(format!("cần một số từ 1 đến {MAX_SEARCH_LIMIT}")),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("lỗi: {message}\n\nXem thêm: nguoitot init --help");
    ExitCode::from(2)
}

/// Questions `init` asks on a terminal for what the command line left out; nothing elsewhere
/// (CI, scripts), where the flags are needed.
struct Prompt {
    interactive: bool,
}

impl Prompt {
    fn new() -> Prompt {
        use std::io::IsTerminal;
        Prompt { interactive: std::io::stdin().is_terminal() }
    }

    /// The answer to `question`, `None` when empty or not on a terminal.
    fn line(&self, question: &str) -> Option<String> {
        if !self.interactive {
            return None;
        }
        eprint!("{question}: ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).ok()?;
        let answer = answer.trim();
        (!answer.is_empty()).then(|| answer.to_string())
    }
}

/// " 2 bài nháp và 1 bài hẹn ngày đăng chưa được dựng (…)" for the summary line, or "".
fn left_out_note((drafts, future): (usize, usize)) -> String {
    let parts: Vec<String> = [(drafts, "bài nháp", "--drafts"), (future, "bài hẹn ngày đăng sau hôm nay", "--future")]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, what, flag)| format!("{n} {what} (xem trước bằng {flag})"))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" Chưa đăng: {}.", parts.join(", "))
    }
}

fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{d}");
    }
}

/// The site at `root`, loaded and validated; when it has errors, prints them and `refused`
/// ("Không tìm được: nội dung có 2 lỗi.") and gives the exit code for content errors.
fn load_site(root: &std::path::Path, refused: &str) -> Result<pipeline::Site, ExitCode> {
    pipeline::load_site(root).map_err(|diags| {
        print_diagnostics(&diags);
        eprintln!("{refused}: nội dung có {} lỗi.", diags.error_count());
        ExitCode::from(1)
    })
}

/// What the command line shows of a build or a `serve` session: a progress bar while photos are
/// processed (on a terminal, for more than a handful), each step's time with `NGUOITOT_TIMINGS=1`
/// (see BENCHMARKS.md), and `serve`'s lines.
struct Terminal {
    timings: bool,
    images: std::sync::Mutex<Option<indicatif::ProgressBar>>,
    uploads: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl Terminal {
    fn new() -> Terminal {
        Terminal { timings: std::env::var_os("NGUOITOT_TIMINGS").is_some(), images: Default::default(), uploads: Default::default() }
    }
}

/// "1,5 MB": sizes as a Vietnamese reader writes them.
fn size_vi(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / (1u64 << 30) as f64, "GB"),
        b if b >= 1 << 20 => (b as f64 / (1u64 << 20) as f64, "MB"),
        b if b >= 1 << 10 => (b as f64 / 1024.0, "KB"),
        b => return format!("{b} byte"),
    };
    format!("{value:.1} {unit}").replace('.', ",")
}

/// The deploy plan, as `--dry-run` prints it and a deploy announces it.
fn print_plan(target: &str, plan: &nguoitot::deploy::Plan, dry_run: bool) {
    use nguoitot::site::routes::PublishStage;
    let verb = if dry_run { "Sẽ" } else { "Bắt đầu" };
    eprintln!(
        "{verb} triển khai lên {target}: tải lên {} tệp ({}), xóa {} tệp, giữ nguyên {} tệp.",
        plan.uploads.len(),
        size_vi(plan.upload_bytes()),
        plan.deletes.len(),
        plan.unchanged
    );
    for (stage, count, bytes) in plan.stages() {
        let what = match stage {
            PublishStage::Assets => "ảnh, CSS, JS, tệp tìm kiếm",
            PublishStage::Stories => "trang gương điển hình",
            PublishStage::Lists => "danh sách, nguồn tin, sơ đồ trang",
            PublishStage::Home => "trang chủ",
        };
        eprintln!("  {count} tệp {what} ({})", size_vi(bytes));
    }
    if dry_run {
        const SHOWN: usize = 20;
        for u in plan.uploads.iter().take(SHOWN) {
            eprintln!("  + {}", u.path);
        }
        if plan.uploads.len() > SHOWN {
            eprintln!("  … và {} tệp khác", plan.uploads.len() - SHOWN);
        }
        for d in plan.deletes.iter().take(SHOWN) {
            eprintln!("  - {d}");
        }
        if plan.deletes.len() > SHOWN {
            eprintln!("  … và {} tệp khác sẽ bị xóa", plan.deletes.len() - SHOWN);
        }
    }
}

impl Reporter for Terminal {
    fn step_done(&self, step: &'static str, elapsed: std::time::Duration) {
        if self.timings {
            eprintln!("  {step}: {:.0} ms", elapsed.as_secs_f64() * 1000.0);
        }
    }

    fn image_done(&self, total: usize) {
        use std::io::IsTerminal;
        if total <= 4 || !std::io::stderr().is_terminal() {
            return;
        }
        let mut current = self.images.lock().unwrap_or_else(|e| e.into_inner());
        // A new batch (`serve` processes photos again at each full rebuild) gets a new bar.
        if current.as_ref().is_none_or(|bar| bar.is_finished() || bar.length() != Some(total as u64)) {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(indicatif::ProgressStyle::with_template("Xử lý ảnh {bar:30} {pos}/{len} ({eta})").expect("template"));
            *current = Some(bar);
        }
        let Some(bar) = current.as_ref() else { return };
        bar.inc(1);
        if bar.position() as usize == total {
            bar.finish_and_clear();
        }
    }

    fn deploy(&self, event: nguoitot::deploy::DeployEvent<'_>) {
        use nguoitot::deploy::DeployEvent;
        use std::io::IsTerminal;
        let mut current = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            DeployEvent::Planned { target, plan, dry_run } => {
                print_plan(target, plan, dry_run);
                if !dry_run && !plan.uploads.is_empty() && std::io::stderr().is_terminal() {
                    let bar = indicatif::ProgressBar::new(plan.uploads.len() as u64);
                    bar.set_style(indicatif::ProgressStyle::with_template("Tải lên {bar:30} {pos}/{len} {msg} ({eta})").expect("template"));
                    *current = Some(bar);
                }
            }
            DeployEvent::Uploaded { done, bytes, .. } => {
                if let Some(bar) = current.as_ref() {
                    bar.set_position(done as u64);
                    bar.set_message(size_vi(bytes));
                }
            }
            DeployEvent::Deleting { total } => {
                if let Some(bar) = current.take() {
                    bar.finish_and_clear();
                }
                if total > 0 {
                    eprintln!("Đã tải lên xong; xóa {total} tệp không còn trong bản dựng.");
                }
            }
        }
    }

    fn serve(&self, event: ServeEvent<'_>) {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        match event {
            ServeEvent::Listening { url, open_to_network } => {
                if open_to_network {
                    eprintln!("Cảnh báo: máy chủ xem trước đang mở cho mọi máy trong mạng ({}); chỉ nên dùng trên mạng tin cậy.", url.trim_start_matches("http://"));
                }
                eprintln!("Xem trước tại {url}/ — sửa tệp trong content/, themes/ hoặc nguoitot.toml, trang sẽ tự tải lại. Ctrl+C để dừng.");
            }
            ServeEvent::Rebuilt { update, elapsed } if update.full => eprintln!("Đã dựng toàn bộ {} trang trong {:.0} ms.", update.rendered, ms(elapsed)),
            ServeEvent::Rebuilt { update, elapsed } => eprintln!("Đã dựng lại {} trang, bỏ {} trang, trong {:.0} ms.", update.rendered, update.removed, ms(elapsed)),
            ServeEvent::RebuildFailed { problems } => eprintln!("{problems}\nTrang chưa dựng được; trình duyệt hiện các lỗi trên cho đến khi tệp được sửa."),
            ServeEvent::SearchRefreshed { update, elapsed } => {
                eprintln!("Đã cập nhật tìm kiếm và gương liên quan ({} trang) trong {:.0} ms.", update.rendered, ms(elapsed))
            }
            ServeEvent::SearchFailed { problems } => eprintln!("{problems}"),
        }
    }
}

fn main() -> ExitCode {
    let matches = match cli_vi::translate(Cli::command()).try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            return match cli_vi::error_message(&e) {
                Some(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
                None if e.kind() == clap::error::ErrorKind::DisplayVersion => {
                    println!("nguoitot {}", env!("CARGO_PKG_VERSION"));
                    ExitCode::SUCCESS
                }
                // Help, laid out in Vietnamese by `cli_vi`.
                None => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("{}", cli_vi::error_message(&e).unwrap_or_else(|| e.to_string()));
            return ExitCode::from(2);
        }
    };
    // A bug must not leave a person with a Rust backtrace: one Vietnamese line instead, exit code 2.
    // The output folder is safe either way (the staging folder is removed as the panic unwinds).
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!("lỗi nội bộ của nguoitot{place}; xin báo lỗi này kèm lệnh đã chạy. Thư mục xuất cũ được giữ nguyên.");
    }));
    std::panic::catch_unwind(|| run(cli)).unwrap_or(ExitCode::from(2))
}

fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Init { dir, title, base_url, publisher, province, repo, host, lao_cai_movements } => {
            let ask = Prompt::new();
            let options = nguoitot::init::InitOptions {
                title: match title.or_else(|| ask.line("Tên trang (ví dụ: Người tốt, việc tốt — Điện Biên)")) {
                    Some(t) => t,
                    None => return usage_error("thiếu tên trang: thêm --title \"…\""),
                },
                base_url: match base_url.or_else(|| ask.line("Địa chỉ trang (ví dụ: https://nguoitot.dienbien.gov.vn)")) {
                    Some(u) => u,
                    None => return usage_error("thiếu địa chỉ trang: thêm --base-url https://…"),
                },
                publisher: publisher.or_else(|| ask.line("Cơ quan quản lý trang (Enter để bỏ qua)")),
                province: province.or_else(|| ask.line("Tỉnh, thành phố (Enter để bỏ qua)")),
                repo: repo.or_else(|| ask.line("Kho git chứa nội dung, dạng tổ-chức/tên-kho (Enter để bỏ qua)")),
                host: match host {
                    HostArg::Github => nguoitot::init::GitHost::Github,
                    HostArg::Gitlab => nguoitot::init::GitHost::Gitlab,
                    HostArg::None => nguoitot::init::GitHost::None,
                },
                lao_cai_movements,
            };
            match nguoitot::init::init(&dir, &options, chrono::Local::now().date_naive()) {
                Ok(files) => {
                    for f in &files {
                        eprintln!("Đã tạo {}", f.display());
                    }
                    let cd = if dir == std::path::Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
                    eprintln!("Trang mới đã sẵn sàng. Tiếp theo: {cd}nguoitot serve — rồi mở http://127.0.0.1:1111/. Hướng dẫn: docs/huong-dan.md của nguoitot.");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Theme { what: ThemeCommand::Eject { root } } => match nguoitot::theme::eject(&root) {
            Ok(dir) => {
                eprintln!("Đã chép giao diện mặc định vào {}. Sửa các tệp trong đó; tệp nào xóa đi thì dùng lại bản có sẵn trong nguoitot.", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("lỗi: {e}");
                ExitCode::from(2)
            }
        },
        Command::Check { root } => {
            let (diags, left_out) = match pipeline::load_site(&root) {
                Ok(site) => (site.diagnostics, Publish::now(false, false).left_out(&site.content.stories)),
                Err(diags) => (diags, (0, 0)),
            };
            print_diagnostics(&diags);
            if diags.has_errors() {
                eprintln!("Kiểm tra thất bại: {} lỗi, {} cảnh báo.", diags.error_count(), diags.warning_count());
                ExitCode::from(1)
            } else {
                eprintln!("Kiểm tra xong: không có lỗi ({} cảnh báo).{}", diags.warning_count(), left_out_note(left_out));
                ExitCode::SUCCESS
            }
        }
        Command::Stats { root, json, csv, xlsx, drafts, from, to } => {
            if let (Some(from), Some(to)) = (from, to) {
                if from > to {
                    eprintln!("lỗi: --from {from} sau --to {to}: năm bắt đầu phải trước hoặc bằng năm kết thúc.");
                    return ExitCode::from(2);
                }
            }
            let period = nguoitot::stats::Period { from, to };
            let site = match load_site(&root, "Không tính được thống kê") {
                Ok(site) => site,
                Err(code) => return code,
            };
            let index = pipeline::index(&site, &Publish::now(drafts, false));
            let tables = nguoitot::stats::compute(&index, period);
            if let Some(file) = xlsx {
                let written = nguoitot::stats::to_xlsx(&tables).map_err(|e| e.to_string()).and_then(|bytes| std::fs::write(&file, bytes).map_err(|e| nguoitot::diagnostics::io_reason(&e)));
                match written {
                    Ok(()) => eprintln!("Đã ghi {} bảng thống kê vào {}.", tables.len(), file.display()),
                    Err(why) => {
                        eprintln!("lỗi: không ghi được {}: {why}", file.display());
                        return ExitCode::from(2);
                    }
                }
            } else if json {
                println!("{}", serde_json::to_string_pretty(&tables).expect("stats serialise"));
            } else if csv {
                // One byte-order mark at the start, as in the site's CSV files: without it
                // Excel reads UTF-8 as another code page and Vietnamese letters break.
                let parts: Vec<String> = tables.iter().map(|t| t.to_csv().trim_start_matches('\u{feff}').to_string()).collect();
                print!("\u{feff}{}", parts.join("\n"));
            } else {
                let parts: Vec<String> = tables.iter().map(|t| t.to_text()).collect();
                print!("{}", parts.join("\n"));
            }
            ExitCode::SUCCESS
        }
        Command::New { what } => {
            let result = match what {
                NewCommand::Story { title, movement, kind, province, commune, root } => {
                    // Only the movement ids are needed; other files may still have errors.
                    let content = nguoitot::content::load(&root).0;
                    // The site's province unless another is given.
                    let site_province = nguoitot::config::SiteConfig::load(&root, &mut Diagnostics::default()).and_then(|c| c.province);
                    let province = province.or(site_province);
                    let place = authoring::NewPlace { province: province.as_deref(), commune: commune.as_deref() };
                    authoring::new_story(&root, &content, &title, &movement, &kind, place, chrono::Local::now().date_naive())
                }
                NewCommand::Movement { title, root } => authoring::new_movement(&root, &title),
            };
            match result {
                Ok(path) => {
                    eprintln!("Đã tạo {}. Mở tệp, điền các trường rồi chạy `nguoitot check`.", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Search { query, root, movement, kind, limit, json } => {
            let site = match load_site(&root, "Không tìm được") {
                Ok(site) => site,
                Err(code) => return code,
            };
            let kind = match kind.as_deref().map(|k| (k, nguoitot::content::Kind::parse(k))) {
                Some((k, None)) => {
                    eprintln!("lỗi: loại gương \"{k}\" không hợp lệ; cần tap-the, ca-nhan hoặc ho-gia-dinh");
                    return ExitCode::from(2);
                }
                Some((_, k)) => k,
                None => None,
            };
            let index = pipeline::index(&site, &Publish::all());
            let engine = match nguoitot::search::engine::Engine::build(&index) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("lỗi: không dựng được chỉ mục tìm kiếm: {e}");
                    return ExitCode::from(2);
                }
            };
            use nguoitot::search::facets::FacetKind;
            let mut filters = nguoitot::search::engine::Filters::default();
            filters.values.extend(movement.map(|m| (FacetKind::Movement, m)));
            filters.values.extend(kind.map(|k| (FacetKind::Kind, k.id().to_string())));
            if let Some((_, m)) = filters.values.iter().find(|(f, v)| *f == FacetKind::Movement && !engine.has_facet_value(*f, v)) {
                eprintln!("lỗi: không có phong trào mã \"{m}\" (xem content/movements/)");
                return ExitCode::from(2);
            }
            let request = nguoitot::search::engine::SearchRequest { query: &query, filters, offset: 0, limit };
            let results = match engine.query(&request) {
                Ok(results) => results,
                Err(e) => {
                    eprintln!("lỗi: tìm kiếm thất bại: {e}");
                    return ExitCode::from(2);
                }
            };
            let shown: Vec<_> = results.hits.iter().map(|h| index.stories[h.doc]).collect();
            if json {
                let rows: Vec<_> = shown.iter().map(|s| serde_json::json!({ "title": s.title, "url": routes::story(&s.slug), "source": s.source, "snippet": s.summary })).collect();
                println!("{}", serde_json::to_string_pretty(&rows).expect("json"));
            } else if shown.is_empty() {
                eprintln!("Không tìm thấy gương điển hình nào cho \"{query}\".");
            } else {
                match (results.all_words, results.total > shown.len()) {
                    (true, false) => eprintln!("{} kết quả", results.total),
                    (true, true) => eprintln!("{} kết quả (in {} kết quả đầu; thêm --limit để xem nhiều hơn)", results.total, shown.len()),
                    (false, _) => eprintln!("Không có gương điển hình nào có đủ các từ \"{query}\"; {} kết quả có nhiều từ nhất:", results.total),
                }
                for s in &shown {
                    println!("{}\t{}\t{}", s.title, routes::story(&s.slug), nguoitot::content::markdown::truncate_words(&s.summary, 120));
                }
            }
            ExitCode::SUCCESS
        }
        Command::Serve { root, port, bind, publish } => match nguoitot::serve::serve(nguoitot::serve::ServeOptions { root, bind, port, publish: publish.publish() }, std::sync::Arc::new(Terminal::new())) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lỗi: {e}");
                ExitCode::from(2)
            }
        },
        Command::Schema { root } => {
            let content = nguoitot::content::load(&root).0;
            match authoring::write_schemas(&root, &content) {
                Ok(paths) => {
                    for p in paths {
                        eprintln!("Đã ghi {}", p.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Deploy { root, output, target, to, endpoint, region, dry_run, force, max_deletes, parallel } => {
            let options = nguoitot::deploy::DeployOptions {
                root,
                output,
                target: nguoitot::deploy::TargetChoice { name: target, url: to, endpoint, region },
                dry_run,
                force,
                max_deletes,
                parallel,
            };
            let terminal = Terminal::new();
            let result = nguoitot::deploy::deploy(&options, &terminal);
            if let Some(bar) = terminal.uploads.lock().unwrap_or_else(|e| e.into_inner()).take() {
                bar.finish_and_clear();
            }
            match result {
                Ok(report) if report.dry_run => {
                    eprintln!("Chạy thử: chưa thay đổi gì trên {}.", report.target);
                    ExitCode::SUCCESS
                }
                Ok(report) => {
                    eprintln!(
                        "Đã triển khai lên {}: tải lên {} tệp ({}), xóa {} tệp, giữ nguyên {} tệp.",
                        report.target,
                        report.uploaded,
                        size_vi(report.uploaded_bytes),
                        report.deleted,
                        report.unchanged
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Build { root, output, base_url, publish } => {
            let started = std::time::Instant::now();
            match pipeline::build(&BuildOptions { root, output, base_url, publish: publish.publish() }, &Terminal::new()) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics);
                    eprintln!(
                        "Đã dựng {} trang ({} gương điển hình) vào {} trong {:.2} giây.{}",
                        report.pages,
                        report.stories,
                        report.output.display(),
                        started.elapsed().as_secs_f64(),
                        left_out_note(report.left_out)
                    );
                    if report.images_encoded + report.images_reused > 0 {
                        eprintln!("Ảnh: xử lý mới {}, dùng lại {} (đã xử lý ở lần dựng trước).", report.images_encoded, report.images_reused);
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(diags)) => {
                    print_diagnostics(&diags);
                    eprintln!(
                        "Không dựng trang: nội dung có {} lỗi, {} cảnh báo. Thư mục xuất cũ được giữ nguyên.",
                        diags.error_count(),
                        diags.warning_count()
                    );
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    eprintln!("Thư mục xuất cũ được giữ nguyên.");
                    ExitCode::from(2)
                }
            }
        }
    }
}
