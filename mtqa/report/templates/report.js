(function(){
  var data = JSON.parse(document.getElementById('mtqa-data').textContent);
  var rows = data.articles, cols = data.columns, numeric = data.numeric, page = 0, per = 100, sortKey = null, dir = 1;
  var body = document.getElementById('rows'), info = document.getElementById('pageinfo');
  var statusSel = document.getElementById('status'), search = document.getElementById('search');
  function filtered(){
    var s = statusSel.value, q = search.value.toLowerCase();
    var out = rows.filter(function(r){ return (!s || r.status === s) && (!q || String(r.article_id).toLowerCase().indexOf(q) >= 0); });
    if (sortKey !== null) out.sort(function(a, b){ var x = a[sortKey], y = b[sortKey];
      if (x === y) return 0; if (x === null || x === undefined) return 1; if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir; });
    return out;
  }
  function render(){
    var list = filtered(), pages = Math.max(1, Math.ceil(list.length / per));
    if (page >= pages) page = pages - 1;
    body.textContent = '';
    list.slice(page * per, page * per + per).forEach(function(r){
      var tr = document.createElement('tr');
      cols.forEach(function(c){
        var td = document.createElement('td'), v = r[c];
        if (c === 'article_id' && r.anchor) { var a = document.createElement('a'); a.href = '#' + r.anchor; a.textContent = String(v); td.appendChild(a); }
        else if (c === 'status') { var b = document.createElement('span'); b.className = 'badge st-' + v; b.textContent = String(v); td.appendChild(b); }
        else td.textContent = (v === null || v === undefined) ? '' : String(v);
        if (numeric.indexOf(c) >= 0) td.className = 'num';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    info.textContent = list.length + ' article(s), page ' + (page + 1) + ' of ' + pages;
  }
  document.querySelectorAll('#articles th').forEach(function(th){
    th.addEventListener('click', function(){
      var k = th.getAttribute('data-key'); dir = (sortKey === k) ? -dir : 1; sortKey = k;
      document.querySelectorAll('#articles th').forEach(function(o){ o.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', dir === 1 ? 'asc' : 'desc'); render();
    });
  });
  statusSel.addEventListener('change', function(){ page = 0; render(); });
  search.addEventListener('input', function(){ page = 0; render(); });
  document.getElementById('prev').addEventListener('click', function(){ if (page > 0) { page--; render(); } });
  document.getElementById('next').addEventListener('click', function(){ page++; render(); });
  render();
})();
